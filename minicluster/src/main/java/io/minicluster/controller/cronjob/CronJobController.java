package io.minicluster.controller.cronjob;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.batch.CronJob;
import io.minicluster.api.batch.Job;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.meta.Condition;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.client.Handlers;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The CronJob controller (pkg/controller/cronjob, ControllerV2): at each scheduled time of a CronJob it creates a Job
 * from the job template, named {@code <cronjob>-<scheduled time in minutes since the epoch>} and annotated with
 * {@value #SCHEDULED_TIMESTAMP}, unless the time is older than startingDeadlineSeconds, the CronJob is suspended, or
 * concurrencyPolicy Forbid finds a Job still active (Replace deletes the active ones first). It keeps status.active,
 * lastScheduleTime and lastSuccessfulTime, deletes finished Jobs beyond the history limits, and wakes up at the next
 * scheduled time. Time comes from the injected clock.
 */
public final class CronJobController implements ControllerLoop {
  public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final DateTimeFormatter RFC1123Z = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
      Locale.ROOT);
  private static final DeleteOptions BACKGROUND = new DeleteOptions(null, "Background", null, null, false);

  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final ZoneId localZone;
  private final Informer<CronJob> cronJobs;
  private final Informer<Job> jobs;

  /** With schedules read in the host's local zone when a CronJob names none, as kube-controller-manager does. */
  public CronJobController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this(client, informers, queue, events, clock, ZoneId.systemDefault());
  }

  public CronJobController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock, ZoneId localZone) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.localZone = requireNonNull(localZone, "localZone is null");
    requireNonNull(queue, "queue is null");
    this.cronJobs = informers.informer(Kinds.CRON_JOBS);
    this.jobs = informers.informer(Kinds.JOBS);
    cronJobs.addHandler(Handlers.enqueueing(cronJob -> queue.add(Keys.of(cronJob.metadata()))));
    jobs.addHandler(Handlers.enqueueing(job -> job.metadata().controllerRef().filter(CronJobController::isCronJob)
        .ifPresent(reference -> queue.add(Keys.of(job.metadata().namespace(), reference.name())))));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(cronJobs, jobs);
  }

  private static boolean isCronJob(OwnerReference reference) {
    return ResourceTypes.CRON_JOBS.kind().equals(reference.kind());
  }

  /** The name of the Job for a scheduled time (getJobName). */
  static String jobName(String cronJobName, Instant scheduledTime) {
    return cronJobName + "-" + scheduledTime.getEpochSecond() / 60;
  }

  @Override
  public long reconcile(String key) {
    CronJob cronJob = cronJobs.get(Keys.namespace(key), Keys.name(key)).orElse(null);
    if (cronJob == null) {
      return 0;
    }
    String name = cronJob.metadata().name();
    List<Job> children = jobs.list(cronJob.metadata().namespace()).stream()
        .filter(job -> job.metadata().controllerRef()
            .filter(reference -> isCronJob(reference) && reference.name().equals(name)).isPresent())
        .toList();
    Sync sync = new Sync(cronJob, children);
    Duration requeue;
    try {
      requeue = sync.run();
    } finally {
      sync.cleanupFinishedJobs();
      sync.writeStatus();
    }
    return requeue == null ? 0 : Math.max(1, requeue.toMillis());
  }

  /** One syncCronJob with its status as it goes. */
  private final class Sync {
    private CronJob cronJob;
    private final List<Job> children;
    private final Instant now = clock.instant();
    private final List<ObjectReference> active;
    private Instant lastScheduleTime;
    private Instant lastSuccessfulTime;
    private boolean changed;

    Sync(CronJob cronJob, List<Job> children) {
      this.cronJob = cronJob;
      this.children = children;
      this.active = new ArrayList<>(cronJob.status().active());
      this.lastScheduleTime = cronJob.status().lastScheduleTime();
      this.lastSuccessfulTime = cronJob.status().lastSuccessfulTime();
    }

    private ObjectReference reference() {
      return ObjectReference.to(ResourceTypes.CRON_JOBS.apiVersion(), ResourceTypes.CRON_JOBS.kind(),
          cronJob.metadata());
    }

    private boolean inActive(String uid) {
      return active.stream().anyMatch(reference -> reference.uid().equals(uid));
    }

    private void removeFromActive(String uid) {
      changed |= active.removeIf(reference -> reference.uid().equals(uid));
    }

    /** syncCronJob: the time to look again, or null. */
    Duration run() {
      Set<String> childUids = new HashSet<>();
      for (Job job : children) {
        String uid = job.metadata().uid();
        childUids.add(uid);
        boolean found = inActive(uid);
        boolean finished = job.status().finished();
        if (!found && !finished) {
          CronJob fresh = fresh();
          if (fresh != null && fresh.status().active().stream().anyMatch(r -> r.uid().equals(uid))) {
            cronJob = fresh;
            active.clear();
            active.addAll(fresh.status().active());
            continue;
          }
          events.warning(reference(), "UnexpectedJob",
              "Saw a job that the controller did not create or forgot: " + job.metadata().name());
        } else if (found && finished) {
          removeFromActive(uid);
          events.normal(reference(), "SawCompletedJob", "Saw completed job: " + job.metadata().name()
              + ", status: " + (Condition.isTrue(job.status().conditions(), "Complete") ? "Complete" : "Failed"));
        } else if (Condition.isTrue(job.status().conditions(), "Complete")) {
          Instant completed = job.status().completionTime();
          if (completed != null && (lastSuccessfulTime == null || completed.isAfter(lastSuccessfulTime))) {
            lastSuccessfulTime = completed;
            changed = true;
          }
        }
      }
      for (ObjectReference reference : List.copyOf(active)) {
        if (childUids.contains(reference.uid())) {
          continue;
        }
        // the cache may lag: ask the API before calling it missing
        if (client.find(ResourceTypes.JOBS, reference.namespace(), reference.name()).isEmpty()) {
          events.normal(reference(), "MissingJob", "Active job went missing: " + reference.name());
          removeFromActive(reference.uid());
        }
      }
      if (cronJob.metadata().isDeleting()) {
        return null;
      }
      String timeZone = cronJob.spec().timeZone();
      if (timeZone != null) {
        try {
          ZoneId.of(timeZone);
        } catch (DateTimeException e) {
          events.warning(reference(), "UnknownTimeZone", "invalid timeZone: \"" + timeZone
              + "\": unknown time zone " + timeZone);
          return null;
        }
      }
      if (cronJob.spec().suspended()) {
        return null;
      }
      String schedule = cronJob.spec().schedule();
      if (schedule.contains("TZ")) {
        events.warning(reference(), "UnsupportedSchedule", "CRON_TZ or TZ used in schedule \"" + schedule
            + "\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/"
            + "cron-jobs/ for more details");
      }
      ScheduleTimes times;
      try {
        times = ScheduleTimes.of(schedule, timeZone, localZone);
      } catch (IllegalArgumentException e) {
        events.warning(reference(), "UnparseableSchedule", "unparseable schedule: \"" + schedule + "\" : "
            + e.getMessage());
        return null;
      }
      Instant created = cronJob.metadata().creationTimestamp() == null ? now
          : cronJob.metadata().creationTimestamp();
      ScheduleTimes.Recent recent;
      try {
        recent = times.mostRecent(created, lastScheduleTime, cronJob.spec().startingDeadlineSeconds(), now);
      } catch (IllegalArgumentException e) {
        events.warning(reference(), "InvalidSchedule", "invalid schedule: " + schedule + " : " + e.getMessage());
        return null;
      }
      Instant scheduled = recent.mostRecent();
      if (scheduled == null) {
        return times.untilNext(created, lastScheduleTime, now);
      }
      if (recent.missed() > ScheduleTimes.MANY_MISSED) {
        events.warning(reference(), "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
      }
      Long deadline = cronJob.spec().startingDeadlineSeconds();
      if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
        events.warning(reference(), "MissSchedule", "Missed scheduled time to start a job: "
            + RFC1123Z.format(scheduled.atZone(ZoneOffset.UTC)));
        return times.untilNext(created, lastScheduleTime, now);
      }
      String jobName = jobName(cronJob.metadata().name(), scheduled);
      if (active.stream().anyMatch(reference -> reference.name().equals(jobName))
          || scheduled.equals(lastScheduleTime)) {
        return times.untilNext(created, lastScheduleTime, now);
      }
      String policy = cronJob.spec().concurrencyPolicy();
      if ("Forbid".equals(policy) && !active.isEmpty()) {
        events.normal(reference(), "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is Forbid");
        return times.untilNext(created, lastScheduleTime, now);
      }
      if ("Replace".equals(policy)) {
        for (ObjectReference reference : List.copyOf(active)) {
          Optional<ObjectNode> job = client.find(ResourceTypes.JOBS, reference.namespace(), reference.name());
          if (job.isEmpty()) {
            events.warning(reference(), "FailedGet", "Get job: jobs.batch \"" + reference.name() + "\" not found");
            throw ApiException.notFound(ResourceTypes.JOBS, reference.name());
          }
          deleteJob(Meta.name(job.get()), Meta.uid(job.get()));
        }
      }
      ObjectNode request = jobFromTemplate(scheduled, times.zone());
      if (request == null) {
        return null;
      }
      ObjectNode job;
      try {
        job = client.create(ResourceTypes.JOBS, cronJob.metadata().namespace(), request);
        events.normal(reference(), "SuccessfulCreate", "Created job " + Meta.name(job));
      } catch (ApiException e) {
        if (e.code() != 409) {
          events.warning(reference(), "FailedCreate", "Error creating job: " + e.getMessage());
          throw e;
        }
        ObjectNode existing = client.get(ResourceTypes.JOBS, cronJob.metadata().namespace(), jobName);
        boolean ours = OwnerReferences.controllerOf(existing)
            .filter(r -> cronJob.metadata().uid().equals(r.path("uid").asText())).isPresent();
        if (!ours || inActive(Meta.uid(existing))) {
          return null;
        }
        job = existing;
      }
      active.add(ObjectReference.to(ResourceTypes.JOBS.apiVersion(), ResourceTypes.JOBS.kind(),
          ObjectMeta.of(job)));
      lastScheduleTime = scheduled;
      changed = true;
      return times.untilNext(created, lastScheduleTime, now);
    }

    private CronJob fresh() {
      ObjectMeta meta = cronJob.metadata();
      return client.find(ResourceTypes.CRON_JOBS, meta.namespace(), meta.name())
          .filter(object -> meta.uid().equals(Meta.uid(object))).map(CronJob::from).orElse(null);
    }

    /** getJobFromTemplate2: the template's labels, annotations and spec, the scheduled time, a controller ref. */
    private ObjectNode jobFromTemplate(Instant scheduled, ZoneId zone) {
      ObjectMeta meta = cronJob.metadata();
      ObjectNode stored = client.find(ResourceTypes.CRON_JOBS, meta.namespace(), meta.name()).orElse(null);
      if (stored == null || !meta.uid().equals(Meta.uid(stored))) {
        return null;
      }
      JsonNode template = Json.at(stored, "spec", "jobTemplate");
      ObjectNode job = Json.object();
      ObjectNode metadata = job.putObject("metadata");
      metadata.put("name", jobName(meta.name(), scheduled));
      metadata.put("namespace", meta.namespace());
      JsonNode labels = Json.at(template, "metadata", "labels");
      if (labels instanceof ObjectNode labelMap && !labelMap.isEmpty()) {
        metadata.set("labels", labelMap.deepCopy());
      }
      JsonNode annotations = Json.at(template, "metadata", "annotations");
      ObjectNode annotationMap = annotations instanceof ObjectNode map ? map.deepCopy() : Json.object();
      annotationMap.put(SCHEDULED_TIMESTAMP, RFC3339.format(scheduled.atZone(zone)));
      metadata.set("annotations", annotationMap);
      metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(ResourceTypes.CRON_JOBS, meta));
      JsonNode spec = Json.at(template, "spec");
      job.set("spec", spec instanceof ObjectNode node ? node.deepCopy() : Json.object());
      return job;
    }

    /** deleteJob: the Job (background propagation) and its place in status.active; whether it went. */
    private boolean deleteJob(String jobName, String uid) {
      try {
        client.delete(ResourceTypes.JOBS, cronJob.metadata().namespace(), jobName, BACKGROUND);
      } catch (ApiException e) {
        if (e.code() != 404) {
          events.warning(reference(), "FailedDelete", "Deleted job: " + e.getMessage());
          return false;
        }
      }
      removeFromActive(uid);
      events.normal(reference(), "SuccessfulDelete", "Deleted job " + jobName);
      return true;
    }

    /** cleanupFinishedJobs: the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
    void cleanupFinishedJobs() {
      Integer successfulLimit = cronJob.spec().successfulJobsHistoryLimit();
      Integer failedLimit = cronJob.spec().failedJobsHistoryLimit();
      if (successfulLimit == null && failedLimit == null) {
        return;
      }
      List<Job> successful = new ArrayList<>();
      List<Job> failed = new ArrayList<>();
      for (Job job : children) {
        if (Condition.isTrue(job.status().conditions(), "Complete")) {
          successful.add(job);
        } else if (Condition.isTrue(job.status().conditions(), "Failed")) {
          failed.add(job);
        }
      }
      if (successfulLimit != null) {
        removeOldest(successful, successfulLimit);
      }
      if (failedLimit != null) {
        removeOldest(failed, failedLimit);
      }
    }

    /** Deletes the Jobs that started first (byJobStartTime: no start time last, then by name). */
    private void removeOldest(List<Job> finished, int keep) {
      int excess = finished.size() - keep;
      if (excess <= 0) {
        return;
      }
      List<Job> ordered = new ArrayList<>(finished);
      ordered.sort(Comparator.comparing((Job job) -> job.status().startTime(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(job -> job.metadata().name()));
      for (Job job : ordered.subList(0, excess)) {
        changed |= deleteJob(job.metadata().name(), job.metadata().uid());
      }
    }

    void writeStatus() {
      if (!changed) {
        return;
      }
      ObjectMeta meta = cronJob.metadata();
      List<ObjectReference> activeNow = List.copyOf(active);
      Instant scheduled = lastScheduleTime;
      Instant successful = lastSuccessfulTime;
      try {
        client.modifyStatus(ResourceTypes.CRON_JOBS, meta.namespace(), meta.name(), current -> {
          if (!meta.uid().equals(Meta.uid(current))) {
            return null;
          }
          ObjectNode status = Json.with(current, "status");
          if (activeNow.isEmpty()) {
            status.remove("active");
          } else {
            ArrayNode references = status.putArray("active");
            for (ObjectReference reference : activeNow) {
              references.addObject().put("kind", reference.kind()).put("namespace", reference.namespace())
                  .put("name", reference.name()).put("uid", reference.uid())
                  .put("apiVersion", reference.apiVersion()).put("resourceVersion", reference.resourceVersion());
            }
          }
          if (scheduled != null) {
            status.put("lastScheduleTime", Meta.timestamp(scheduled));
          }
          if (successful != null) {
            status.put("lastSuccessfulTime", Meta.timestamp(successful));
          }
          return current;
        });
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
  }
}

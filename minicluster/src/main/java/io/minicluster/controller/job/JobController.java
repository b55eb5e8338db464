package io.minicluster.controller.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.batch.Job;
import io.minicluster.api.batch.JobSpec;
import io.minicluster.api.batch.JobStatus;
import io.minicluster.api.core.ContainerStatus;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.labels.Selector;
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
import io.minicluster.controller.expectations.Expectations;
import io.minicluster.controller.finalizers.Finalizers;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.podstate.Pods;
import io.minicluster.controller.podtemplate.PodTemplates;
import io.minicluster.controller.podtemplate.SlowStart;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The Job controller (pkg/controller/job) with the TTL-after-finished step (pkg/controller/ttlafterfinished). It
 * creates a Job's pods from its template ({@code <job>-xxxxx}, or {@code <job>-<index>-xxxxx} with the completion
 * index annotation, label, hostname and {@code JOB_COMPLETION_INDEX} for Indexed Jobs) up to parallelism and the
 * remaining completions, holds them with the {@value #TRACKING_FINALIZER} finalizer until it has counted them in
 * status (through status.uncountedTerminatedPods), waits the pod-failure back-off before replacing failed pods, and
 * finishes the Job: Complete after SuccessCriteriaMet (completions reached or a successPolicy rule met), Failed after
 * FailureTarget (backoffLimit, activeDeadlineSeconds or a FailJob rule of the podFailurePolicy), each terminal
 * condition written once no pod is left terminating. A suspended Job has its active pods deleted and the Suspended
 * condition. With backoffLimitPerIndex each index of an Indexed Job has its own failure count (carried by its pods'
 * {@value #INDEX_FAILURE_COUNT} annotation) and back-off; an index past it is listed in status.failedIndexes, and the
 * Job fails once every index has finished (FailedIndexes) or more than maxFailedIndexes failed. A finished Job with
 * ttlSecondsAfterFinished is deleted in the foreground once that time has passed.
 */
public final class JobController implements ControllerLoop {
  public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  public static final String COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";
  /** How many counted failures an index had before a pod (backoffLimitPerIndex). */
  public static final String INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
  /** How many failures of an index the podFailurePolicy ignored before a pod. */
  public static final String INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";
  /** spec.managedBy of the Jobs this controller manages (or no managedBy at all). */
  static final String MANAGED_BY = "kubernetes.io/job-controller";
  /** Upstream's MaxPodCreateDeletePerSync. */
  static final int MAX_PODS_PER_SYNC = 500;
  /** Upstream's MaxUncountedPods. */
  static final int MAX_UNCOUNTED = 500;
  /** Keys of the work queue that name a pod whose tracking finalizer may have to go (the orphan queue upstream). */
  private static final String ORPHAN_POD = "orphan-pod:";
  private static final Duration MIN_REQUEUE = Duration.ofSeconds(1);

  private final Client client;
  private final EventRecorder events;
  private final Clock clock;
  private final Informer<Job> jobs;
  private final Informer<Pod> pods;
  private final WorkQueue queue;
  private final Expectations expectations;
  private final ControllerRefManager<Pod> claims;
  private final PodFailureBackoff backoff;
  /** Per Job key, the uids of pods whose tracking finalizer this controller removed and the cache may still show. */
  private final Map<String, Set<String>> finalizerRemovals = new ConcurrentHashMap<>();

  public JobController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Clock clock) {
    this(client, informers, queue, events, clock, PodFailureBackoff.DEFAULT_BASE);
  }

  /** With another pod-failure back-off base than upstream's 10 s (it doubles up to 10 min). */
  public JobController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events, Clock clock,
      Duration podFailureBackoffBase) {
    this.client = requireNonNull(client, "client is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.queue = requireNonNull(queue, "queue is null");
    this.backoff = new PodFailureBackoff(podFailureBackoffBase, PodFailureBackoff.DEFAULT_MAX);
    this.jobs = informers.informer(Kinds.JOBS);
    this.pods = informers.informer(Kinds.PODS);
    this.expectations = new Expectations(clock);
    this.claims = new ControllerRefManager<>(client, ResourceTypes.JOBS, Kinds.PODS, Pod::metadata,
        TRACKING_FINALIZER);
    jobs.addHandler(Handlers.enqueueing(job -> queue.add(Keys.of(job.metadata()))));
    pods.addHandler(Handlers.enqueueing(this::enqueueFor));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(jobs, pods);
  }

  /** The pod's Job; every Job selecting an orphan; the pod itself when its tracking finalizer may be stale. */
  private void enqueueFor(Pod pod) {
    ObjectMeta meta = pod.metadata();
    Optional<OwnerReference> reference = meta.controllerRef();
    if (meta.hasFinalizer(TRACKING_FINALIZER) && !countedByItsJob(meta)) {
      queue.add(ORPHAN_POD + meta.key());
    }
    if (reference.isPresent()) {
      if (isJob(reference.get())) {
        queue.add(Keys.of(meta.namespace(), reference.get().name()));
      }
      return;
    }
    for (Job job : jobs.list(meta.namespace())) {
      if (selector(job).matches(meta.labels())) {
        queue.add(Keys.of(job.metadata()));
      }
    }
  }

  /** Whether the pod's controller is a Job in the cache that is still to count it (so its finalizer stays). */
  private boolean countedByItsJob(ObjectMeta pod) {
    Optional<OwnerReference> reference = pod.controllerRef().filter(JobController::isJob);
    if (reference.isEmpty()) {
      return false;
    }
    return jobs.get(pod.namespace(), reference.get().name())
        .filter(job -> job.metadata().uid().equals(reference.get().uid()))
        .filter(job -> !job.status().finished() && !isExternallyManaged(job)).isPresent();
  }

  private static boolean isJob(OwnerReference reference) {
    return ResourceTypes.JOBS.kind().equals(reference.kind())
        && ResourceTypes.JOBS.apiVersion().equals(reference.apiVersion());
  }

  private static Selector selector(Job job) {
    if (job.spec().selector() == null) {
      return Selector.nothing();
    }
    try {
      return job.spec().selector().toSelector();
    } catch (IllegalArgumentException e) {
      return Selector.nothing();
    }
  }

  @Override
  public long reconcile(String key) {
    if (key.startsWith(ORPHAN_POD)) {
      releaseOrphan(key.substring(ORPHAN_POD.length()));
      return 0;
    }
    Job job = jobs.get(Keys.namespace(key), Keys.name(key)).orElse(null);
    if (job == null) {
      expectations.forget(key);
      finalizerRemovals.remove(key);
      backoff.forget(key);
      return 0;
    }
    String managedBy = job.spec().managedBy();
    if (managedBy != null && !managedBy.equals(MANAGED_BY)) {
      return 0;
    }
    if (job.status().finished()) {
      backoff.forget(key);
      return expireAfterFinished(job);
    }
    String mode = job.spec().completionMode();
    if (mode != null && !mode.equals(JobSpec.INDEXED) && !mode.equals(JobSpec.NON_INDEXED)) {
      events.warning(reference(job), "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
      return 0;
    }
    return new Sync(key, job).run();
  }

  /** syncOrphanPod: drops the tracking finalizer of a pod no unfinished Job of ours controls. */
  private void releaseOrphan(String podKey) {
    Pod pod = pods.get(Keys.namespace(podKey), Keys.name(podKey)).orElse(null);
    if (pod == null || !pod.metadata().hasFinalizer(TRACKING_FINALIZER)) {
      return;
    }
    Optional<OwnerReference> reference = pod.metadata().controllerRef();
    if (reference.isPresent() && !isJob(reference.get())) {
      // not ours to release
      return;
    }
    Job job = reference.flatMap(r -> jobs.get(pod.metadata().namespace(), r.name())
        .filter(candidate -> candidate.metadata().uid().equals(r.uid()))).orElse(null);
    if ((job != null && isExternallyManaged(job)) || countedByItsJob(pod.metadata())) {
      return;
    }
    removeTrackingFinalizer(pod);
  }

  private static boolean isExternallyManaged(Job job) {
    return job.spec().managedBy() != null && !job.spec().managedBy().equals(MANAGED_BY);
  }

  /** Removes the tracking finalizer; whether it is gone (a pod that is gone counts as done). */
  private boolean removeTrackingFinalizer(Pod pod) {
    String uid = pod.metadata().uid();
    try {
      client.modify(ResourceTypes.PODS, pod.metadata().namespace(), pod.metadata().name(),
          current -> uid.equals(Meta.uid(current)) && Finalizers.remove(current, TRACKING_FINALIZER) ? current : null);
      return true;
    } catch (ApiException e) {
      if (e.code() == 404) {
        return true;
      }
      throw e;
    }
  }

  /**
   * The TTL-after-finished controller's step: a finished Job whose ttlSecondsAfterFinished has passed since it
   * finished is deleted with foreground propagation (its pods first), re-read first and with its uid as precondition.
   */
  private long expireAfterFinished(Job job) {
    Integer ttl = job.spec().ttlSecondsAfterFinished();
    if (ttl == null || job.metadata().isDeleting()) {
      return 0;
    }
    Instant finished = finishTime(job.status());
    if (finished == null) {
      return 0;
    }
    Instant expiry = finished.plusSeconds(ttl);
    Instant now = clock.instant();
    if (now.isBefore(expiry)) {
      return Math.max(1, Duration.between(now, expiry).toMillis());
    }
    ObjectMeta meta = job.metadata();
    Optional<ObjectNode> fresh = client.find(ResourceTypes.JOBS, meta.namespace(), meta.name());
    if (fresh.isEmpty() || !meta.uid().equals(Meta.uid(fresh.get()))) {
      return 0;
    }
    Job current = Job.from(fresh.get());
    if (!Integer.valueOf(ttl).equals(current.spec().ttlSecondsAfterFinished()) || !current.status().finished()) {
      queue.add(Keys.of(meta));
      return 0;
    }
    try {
      client.delete(ResourceTypes.JOBS, meta.namespace(), meta.name(),
          new DeleteOptions(null, "Foreground", meta.uid(), null, false));
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
    return 0;
  }

  /** When the Job finished: the lastTransitionTime of its True Complete or Failed condition. */
  private static Instant finishTime(JobStatus status) {
    for (Condition condition : status.conditions()) {
      if ((condition.type().equals(COMPLETE) || condition.type().equals(FAILED)) && condition.isTrue()) {
        return condition.lastTransitionTime();
      }
    }
    return null;
  }

  private static ObjectReference reference(Job job) {
    return ObjectReference.to(ResourceTypes.JOBS.apiVersion(), ResourceTypes.JOBS.kind(), job.metadata());
  }

  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String SUSPENDED = "Suspended";

  /** A condition this sync sets; lastProbeTime and lastTransitionTime are the time of the change. */
  record JobCondition(String type, String status, String reason, String message) {}

  /** One syncJob: the state it reads from the caches and what it decides. */
  private final class Sync {
    private final String key;
    private final Job job;
    private final JobSpec spec;
    private final JobStatus status;
    private final Instant now;
    private final boolean indexed;
    private final int completions;
    private final boolean onlyReplaceFailed;
    private final List<Pod> owned;
    private final Set<String> removalsPending;
    private final List<ConditionChange> conditionChanges = new ArrayList<>();
    private List<Pod> active;
    private int ready;
    private int terminating;
    private int succeeded;
    private Instant startTime;
    private CompletionIndexes previousIndexes;
    private CompletionIndexes succeededIndexes;
    /** With backoffLimitPerIndex: the failed indexes, and per index the failed pod kept until its replacement. */
    private CompletionIndexes failedIndexes;
    private final Map<Integer, Pod> delayedPerIndex = new HashMap<>();
    private PodFailureBackoff.Record backoffRecord;
    private JobCondition finished;
    private long requeue;
    private ApiException failure;
    private final boolean satisfied;

    Sync(String key, Job job) {
      this.key = key;
      this.job = job;
      this.spec = job.spec();
      this.status = job.status();
      this.now = clock.instant();
      this.indexed = spec.indexed();
      this.completions = spec.completions() == null ? -1 : spec.completions();
      this.onlyReplaceFailed = "Failed".equals(spec.podReplacementPolicy()) || spec.podFailurePolicy() != null;
      String namespace = job.metadata().namespace();
      List<Pod> namespacePods = pods.list(namespace);
      this.satisfied = expectations.satisfied(key, name -> pods.get(namespace, name).isPresent(),
          namespacePods.stream().map(Pod::metadata).toList());
      this.owned = claims.claim(job.metadata(), selector(job), namespacePods);
      this.removalsPending = pendingRemovals();
    }

    /** The uids whose finalizer removal the cache has not shown yet (finalizerExpectations). */
    private Set<String> pendingRemovals() {
      Set<String> expected = finalizerRemovals.get(key);
      if (expected == null) {
        return Set.of();
      }
      Set<String> stillShown = new HashSet<>();
      for (Pod pod : owned) {
        if (expected.contains(pod.metadata().uid()) && pod.metadata().hasFinalizer(TRACKING_FINALIZER)) {
          stillShown.add(pod.metadata().uid());
        }
      }
      expected.retainAll(stillShown);
      return Set.copyOf(stillShown);
    }

    private boolean tracked(Pod pod) {
      return pod.metadata().hasFinalizer(TRACKING_FINALIZER) && !removalsPending.contains(pod.metadata().uid());
    }

    /** isPodFailed: Failed, or being deleted without having succeeded unless only failed pods are replaced. */
    private boolean failed(Pod pod) {
      if (Pod.FAILED.equals(pod.status().phase())) {
        return true;
      }
      return !onlyReplaceFailed && pod.metadata().isDeleting() && !Pod.SUCCEEDED.equals(pod.status().phase());
    }

    private int index(Pod pod) {
      return CompletionIndexes.index(pod.metadata().annotations().get(COMPLETION_INDEX));
    }

    private boolean validIndex(Pod pod) {
      int index = index(pod);
      return index >= 0 && index < completions;
    }

    long run() {
      active = owned.stream().filter(Pods::active).toList();
      ready = (int) active.stream().filter(Pod::isReady).count();
      terminating = (int) owned.stream().filter(this::terminatingPod).count();
      Set<String> uncountedSucceeded = new LinkedHashSet<>(status.uncountedSucceeded());
      Set<String> uncountedFailed = new LinkedHashSet<>(status.uncountedFailed());
      List<Pod> candidates = owned.stream().filter(this::tracked)
          .filter(pod -> !indexed || validIndex(pod)).toList();
      List<Pod> newSucceeded = candidates.stream()
          .filter(pod -> !uncountedSucceeded.contains(pod.metadata().uid()))
          .filter(pod -> Pod.SUCCEEDED.equals(pod.status().phase())).toList();
      List<Pod> newFailed = candidates.stream()
          .filter(pod -> !uncountedFailed.contains(pod.metadata().uid())).filter(this::failed).toList();
      succeeded = status.succeeded() + newSucceeded.size() + uncountedSucceeded.size();
      int failedCount = status.failed() + uncountedFailed.size() + (int) newFailed.stream()
          .filter(pod -> Policies.match(spec.podFailurePolicy(), pod).counts()).count();
      startTime = status.startTime();
      if (startTime == null && !spec.suspended()) {
        startTime = now;
      }
      backoffRecord = backoff.next(key, newSucceeded, newFailed, now);

      finished = trueCondition(SUCCESS_CRITERIA_MET)
          .map(c -> new JobCondition(SUCCESS_CRITERIA_MET, Condition.TRUE, c.reason(), c.message())).orElse(null);
      if (finished == null) {
        Optional<Condition> target = trueCondition(FAILURE_TARGET);
        if (target.isPresent()) {
          finished = new JobCondition(FAILED, Condition.TRUE, target.get().reason(), target.get().message());
        } else {
          String message = failJobMessage();
          if (message != null) {
            finished = new JobCondition(FAILURE_TARGET, Condition.TRUE, "PodFailurePolicy", message);
          }
        }
      }
      if (finished == null) {
        int backoffLimit = spec.backoffLimit() == null ? 6 : spec.backoffLimit();
        if (failedCount > backoffLimit || pastBackoffLimitOnFailure(backoffLimit)) {
          finished = new JobCondition(FAILURE_TARGET, Condition.TRUE, "BackoffLimitExceeded",
              "Job has reached the specified backoff limit");
        } else if (pastActiveDeadline()) {
          finished = new JobCondition(FAILURE_TARGET, Condition.TRUE, "DeadlineExceeded",
              "Job was active longer than specified deadline");
        } else if (spec.activeDeadlineSeconds() != null && !spec.suspended()) {
          requeueAfter(Duration.between(now, startTime.plusSeconds(spec.activeDeadlineSeconds())));
        }
      }
      if (indexed) {
        previousIndexes = CompletionIndexes.parse(status.completedIndexes(), completions);
        succeededIndexes = previousIndexes.with(owned.stream()
            .filter(pod -> Pod.SUCCEEDED.equals(pod.status().phase()) && validIndex(pod)).map(this::index).toList());
        succeeded = succeededIndexes.total();
        if (perIndex()) {
          failedIndexes = CompletionIndexes.parse(Optional.ofNullable(status.failedIndexes()).orElse(""), completions)
              .with(owned.stream().filter(this::tracked).filter(this::validIndex).filter(this::indexFailed)
                  .map(this::index).toList());
          if (finished == null) {
            Integer maxFailed = spec.maxFailedIndexes();
            if (maxFailed != null && failedIndexes.total() > maxFailed) {
              finished = new JobCondition(FAILURE_TARGET, Condition.TRUE, "MaxFailedIndexesExceeded",
                  "Job has exceeded the specified maximal number of failed indexes");
            } else if (failedIndexes.total() > 0 && failedIndexes.total() + succeededIndexes.total() >= completions) {
              finished = new JobCondition(FAILURE_TARGET, Condition.TRUE, "FailedIndexes", "Job has failed indexes");
            }
          }
          findDelayedDeletions();
        }
        if (finished == null) {
          String message = Policies.successMessage(spec.successPolicy(), completions, succeededIndexes);
          if (message != null) {
            finished = new JobCondition(SUCCESS_CRITERIA_MET, Condition.TRUE, "SuccessPolicy", message);
          }
        }
      }

      int activeCount = active.size();
      if (finished != null) {
        int deleted = deletePods(active, false);
        if (deleted != activeCount || !satisfied) {
          // pods may still be created or have finalizers: finish on a later sync
          finished = null;
        }
        activeCount -= deleted;
      } else {
        boolean managed = false;
        if (satisfied && !job.metadata().isDeleting()) {
          activeCount = manage();
          managed = true;
        }
        boolean complete = spec.completions() == null ? succeeded > 0 && activeCount == 0
            : succeeded >= completions && activeCount == 0;
        if (complete) {
          finished = new JobCondition(SUCCESS_CRITERIA_MET, Condition.TRUE, "CompletionsReached",
              "Reached expected number of succeeded pods");
        } else if (managed) {
          suspendCondition();
        }
      }
      trackStatus(activeCount, uncountedSucceeded, uncountedFailed);
      if (failure != null) {
        throw failure;
      }
      return requeue;
    }

    private boolean perIndex() {
      return indexed && spec.backoffLimitPerIndex() != null;
    }

    /** isIndexFailed: a failed pod whose index is lost: a FailIndex rule, or the index's failures reach the limit. */
    private boolean indexFailed(Pod pod) {
      if (!failed(pod)) {
        return false;
      }
      Policies.Match match = Policies.match(spec.podFailurePolicy(), pod);
      if (Policies.FAIL_INDEX.equals(match.action())) {
        return true;
      }
      return match.counts() && annotationCount(pod, INDEX_FAILURE_COUNT) >= spec.backoffLimitPerIndex();
    }

    /**
     * getPodsWithDelayedDeletionPerIndex: per index neither succeeded, failed nor running, its latest failed pod,
     * which keeps its finalizer until the replacement carries its failure count.
     */
    private void findDelayedDeletions() {
      Set<Integer> activeIndexes = new HashSet<>();
      active.forEach(pod -> activeIndexes.add(index(pod)));
      for (Pod pod : owned) {
        if (!tracked(pod) || !validIndex(pod) || !failed(pod)) {
          continue;
        }
        int index = index(pod);
        if (succeededIndexes.has(index) || failedIndexes.has(index) || activeIndexes.contains(index)) {
          continue;
        }
        Pod last = delayedPerIndex.get(index);
        if (last == null || (absoluteFailures(last) <= absoluteFailures(pod)
            && !PodFailureBackoff.finishedAt(pod, now).isBefore(PodFailureBackoff.finishedAt(last, now)))) {
          delayedPerIndex.put(index, pod);
        }
      }
    }

    private int absoluteFailures(Pod pod) {
      return annotationCount(pod, INDEX_FAILURE_COUNT) + annotationCount(pod, INDEX_IGNORED_FAILURE_COUNT);
    }

    private boolean terminatingPod(Pod pod) {
      return pod.metadata().isDeleting() && !pod.isTerminal();
    }

    private Optional<Condition> trueCondition(String type) {
      return status.condition(type).filter(Condition::isTrue);
    }

    private String failJobMessage() {
      if (spec.podFailurePolicy() == null) {
        return null;
      }
      for (Pod pod : owned) {
        if (failed(pod)) {
          String message = Policies.match(spec.podFailurePolicy(), pod).failJobMessage();
          if (message != null) {
            return message;
          }
        }
      }
      return null;
    }

    /** With restartPolicy OnFailure: the restarts of the running and pending pods' containers reach the limit. */
    private boolean pastBackoffLimitOnFailure(int backoffLimit) {
      if (spec.template() == null || !"OnFailure".equals(spec.template().spec().restartPolicy())) {
        return false;
      }
      int restarts = 0;
      for (Pod pod : owned) {
        String phase = pod.status().phase();
        if (Pod.RUNNING.equals(phase) || Pod.PENDING.equals(phase)) {
          for (ContainerStatus container : pod.status().initContainerStatuses()) {
            restarts += container.restartCount();
          }
          for (ContainerStatus container : pod.status().containerStatuses()) {
            restarts += container.restartCount();
          }
        }
      }
      return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    private boolean pastActiveDeadline() {
      if (spec.activeDeadlineSeconds() == null || status.startTime() == null || spec.suspended()) {
        return false;
      }
      return !Duration.between(status.startTime(), now).minusSeconds(spec.activeDeadlineSeconds()).isNegative();
    }

    private void requeueAfter(Duration delay) {
      long millis = Math.max(delay.toMillis(), MIN_REQUEUE.toMillis());
      requeue = requeue == 0 ? millis : Math.min(requeue, millis);
    }

    /** manageJob: the active count after deleting or creating pods. */
    private int manage() {
      int activeCount = active.size();
      int parallelism = spec.parallelism() == null ? 1 : spec.parallelism();
      if (spec.suspended()) {
        List<Pod> ordered = new ArrayList<>(active);
        ordered.sort(Pods.DELETION_ORDER);
        return activeCount - deletePods(ordered, true);
      }
      int wantActive;
      if (spec.completions() == null) {
        wantActive = succeeded > 0 ? activeCount : parallelism;
      } else {
        wantActive = Math.max(0, Math.min(completions - succeeded, parallelism));
      }
      List<Pod> toDelete = podsForRemoval(Math.max(0, activeCount - wantActive));
      if (!toDelete.isEmpty()) {
        return activeCount - deletePods(toDelete.subList(0, Math.min(toDelete.size(), MAX_PODS_PER_SYNC)), true);
      }
      int diff = wantActive - (onlyReplaceFailed ? terminating : 0) - activeCount;
      if (diff <= 0) {
        return activeCount;
      }
      if (!perIndex()) {
        Duration wait = backoff.remaining(backoffRecord, now);
        if (!wait.isZero()) {
          requeueAfter(wait);
          return activeCount;
        }
      }
      diff = Math.min(diff, MAX_PODS_PER_SYNC);
      List<Integer> indexes = new ArrayList<>();
      if (indexed) {
        indexes = pendingIndexes(diff);
        if (perIndex()) {
          indexes = indexesPastTheirBackOff(indexes);
        }
        diff = indexes.size();
      }
      return activeCount + createPods(diff, indexes);
    }

    /**
     * activePodsForRemoval: for Indexed Jobs the pods without a valid index and the extra pods of an index first, then
     * in deletion order up to {@code atLeast}.
     */
    private List<Pod> podsForRemoval(int atLeast) {
      List<Pod> remove = new ArrayList<>();
      List<Pod> left = new ArrayList<>(active);
      if (indexed) {
        left.sort(Pods.DELETION_ORDER.reversed());
        Set<Integer> seen = new HashSet<>();
        for (Pod pod : List.copyOf(left)) {
          if (!validIndex(pod) || !seen.add(index(pod))) {
            remove.add(pod);
            left.remove(pod);
          }
        }
      }
      if (remove.size() < atLeast) {
        left.sort(Pods.DELETION_ORDER);
        remove.addAll(left.subList(0, atLeast - remove.size()));
      }
      return remove;
    }

    /**
     * getPodCreationInfoForIndependentIndexes: the indexes whose back-off (from their last failed pod) has passed;
     * when none has, the Job looks again when the first one's ends.
     */
    private List<Integer> indexesPastTheirBackOff(List<Integer> indexes) {
      List<Integer> ready = new ArrayList<>();
      Duration soonest = null;
      for (int index : indexes) {
        Pod last = delayedPerIndex.get(index);
        Duration wait = last == null ? Duration.ZERO : backoff.remaining(
            new PodFailureBackoff.Record(absoluteFailures(last) + 1, PodFailureBackoff.finishedAt(last, now)), now);
        if (wait.isZero()) {
          ready.add(index);
        } else if (soonest == null || wait.compareTo(soonest) < 0) {
          soonest = wait;
        }
      }
      if (ready.isEmpty() && soonest != null) {
        requeueAfter(soonest);
      }
      return ready;
    }

    /** firstPendingIndexes: the lowest indexes neither succeeded, failed nor held by an active pod. */
    private List<Integer> pendingIndexes(int count) {
      Set<Integer> held = new HashSet<>();
      active.stream().filter(this::validIndex).forEach(pod -> held.add(index(pod)));
      List<Integer> pending = new ArrayList<>();
      for (int index = 0; index < completions && pending.size() < count; index++) {
        if (!succeededIndexes.has(index) && !held.contains(index)
            && (failedIndexes == null || !failedIndexes.has(index))) {
          pending.add(index);
        }
      }
      return pending;
    }

    /** Creates pods in slow-start batches (1, 2, 4, ...) stopping at the first failure; returns how many. */
    private int createPods(int count, List<Integer> indexes) {
      ObjectNode template = template();
      if (template == null) {
        return 0;
      }
      if (indexed) {
        addIndexEnvironment(template);
      }
      ArrayNode finalizers = Json.with(template, "metadata").get("finalizers") instanceof ArrayNode array ? array
          : Json.with(template, "metadata").putArray("finalizers");
      if (Json.strings(template.get("metadata"), "finalizers").stream().noneMatch(TRACKING_FINALIZER::equals)) {
        finalizers.add(TRACKING_FINALIZER);
      }
      ObjectMeta meta = job.metadata();
      SlowStart.Result result = SlowStart.createPods(client, events, reference(job), meta.namespace(), count, i -> {
        if (!indexed) {
          return PodTemplates.podFromTemplate(ResourceTypes.JOBS, meta, template, meta.name() + "-");
        }
        int index = indexes.get(i);
        ObjectNode indexedTemplate = template.deepCopy();
        Json.with(indexedTemplate, "metadata", "annotations").put(COMPLETION_INDEX, Integer.toString(index));
        Json.with(indexedTemplate, "metadata", "labels").put(COMPLETION_INDEX, Integer.toString(index));
        Json.with(indexedTemplate, "spec").put("hostname", meta.name() + "-" + index);
        if (perIndex()) {
          addIndexFailureCounts(Json.with(indexedTemplate, "metadata", "annotations"), delayedPerIndex.get(index));
        }
        return PodTemplates.podFromTemplate(ResourceTypes.JOBS, meta, indexedTemplate,
            generateNameWithIndex(meta.name(), index));
      });
      if (result.failure() != null) {
        failure = result.failure();
      }
      expectations.expect(key, result.created(), List.of());
      return result.created().size();
    }

    /** getNewIndexFailureCounts: the replaced pod's counts, its own failure added as counted or ignored. */
    private void addIndexFailureCounts(ObjectNode annotations, Pod replaced) {
      int failures = 0;
      int ignored = 0;
      if (replaced != null) {
        failures = annotationCount(replaced, INDEX_FAILURE_COUNT);
        ignored = annotationCount(replaced, INDEX_IGNORED_FAILURE_COUNT);
        if (Policies.match(spec.podFailurePolicy(), replaced).counts()) {
          failures++;
        } else {
          ignored++;
        }
      }
      annotations.put(INDEX_FAILURE_COUNT, Integer.toString(failures));
      if (ignored > 0) {
        annotations.put(INDEX_IGNORED_FAILURE_COUNT, Integer.toString(ignored));
      }
    }

    /** The Job's spec.template as stored (every field, the records model only what controllers read). */
    private ObjectNode template() {
      ObjectMeta meta = job.metadata();
      ObjectNode object = client.find(ResourceTypes.JOBS, meta.namespace(), meta.name()).orElse(null);
      if (object == null || !meta.uid().equals(Meta.uid(object))) {
        return null;
      }
      return Json.at(object, "spec", "template") instanceof ObjectNode node ? node.deepCopy() : Json.object();
    }

    /**
     * Deletes pods (with their tracking finalizer first when {@code dropFinalizer}: they are not to be counted);
     * returns how many are gone or going. Deleted pods are terminating from now on.
     */
    private int deletePods(List<Pod> victims, boolean dropFinalizer) {
      List<String> deleted = new ArrayList<>();
      int count = 0;
      for (Pod pod : victims) {
        ObjectMeta podMeta = pod.metadata();
        try {
          if (dropFinalizer) {
            removeTrackingFinalizer(pod);
          }
          client.delete(ResourceTypes.PODS, podMeta.namespace(), podMeta.name(),
              DeleteOptions.DEFAULT.withPreconditionUid(podMeta.uid()));
          deleted.add(podMeta.uid());
          events.normal(reference(job), "SuccessfulDelete", "Deleted pod: " + podMeta.name());
          count++;
        } catch (ApiException e) {
          if (e.code() == 404) {
            count++;
            continue;
          }
          failure = e;
          events.warning(reference(job), "FailedDelete", "Error deleting: " + e.getMessage());
        }
        if (pod.isReady()) {
          ready--;
        }
      }
      terminating += count;
      expectations.expect(key, List.of(), deleted);
      return count;
    }

    /** The Suspended condition: True "JobSuspended" while suspended, False "JobResumed" once resumed. */
    private void suspendCondition() {
      Optional<Condition> current = status.condition(SUSPENDED);
      if (spec.suspended()) {
        if (current.isEmpty() || !current.get().isTrue() || !"JobSuspended".equals(current.get().reason())) {
          conditionChanges.add(new ConditionChange(
              new JobCondition(SUSPENDED, Condition.TRUE, "JobSuspended", "Job suspended"), false));
          events.normal(reference(job), "Suspended", "Job suspended");
        }
      } else if (current.isPresent() && !(current.get().isFalse() && "JobResumed".equals(current.get().reason()))) {
        conditionChanges.add(new ConditionChange(
            new JobCondition(SUSPENDED, Condition.FALSE, "JobResumed", "Job resumed"), false));
        events.normal(reference(job), "Resumed", "Job resumed");
        // activeDeadlineSeconds counts the time the Job is continuously active
        startTime = now;
      }
    }

    /**
     * trackJobStatusAndRemoveFinalizers: finished pods go to uncountedTerminatedPods (written first), lose their
     * tracking finalizer, then move to the succeeded and failed counters; the terminal condition comes once nothing
     * is left uncounted or terminating.
     */
    private void trackStatus(int activeCount, Set<String> uncountedSucceeded, Set<String> uncountedFailed) {
      List<Pod> ordered = new ArrayList<>(owned);
      if (indexed) {
        ordered.sort(Comparator.comparingInt(this::index));
      }
      Set<String> withFinalizer = new HashSet<>();
      ordered.stream().filter(this::tracked).forEach(pod -> withFinalizer.add(pod.metadata().uid()));
      Counters counters = new Counters(status.succeeded(), status.failed(), uncountedSucceeded, uncountedFailed);
      counters.countRemoved(withFinalizer);
      List<Pod> release = new ArrayList<>();
      List<Integer> newIndexes = new ArrayList<>();
      boolean reachedMax = false;
      for (Pod pod : ordered) {
        if (!tracked(pod)) {
          continue;
        }
        boolean considerFailed = failed(pod);
        boolean succeededPod = Pod.SUCCEEDED.equals(pod.status().phase());
        if (!(job.metadata().isDeleting() || finished != null || succeededPod || considerFailed)) {
          continue;
        }
        if (!(job.metadata().isDeleting() || finished != null || succeededPod) && perIndex()
            && delayedPerIndex.get(index(pod)) == pod) {
          // kept until the index's next pod carries its failure count
          continue;
        }
        release.add(pod);
        String uid = pod.metadata().uid();
        if (succeededPod && !counters.failed.contains(uid)) {
          if (indexed) {
            if (validIndex(pod) && !previousIndexes.has(index(pod))) {
              newIndexes.add(index(pod));
            }
          } else {
            counters.succeeded.add(uid);
          }
        } else if (considerFailed || (finished != null && !finished.type().equals(SUCCESS_CRITERIA_MET))) {
          if (!counters.failed.contains(uid) && (!indexed || validIndex(pod))
              && Policies.match(spec.podFailurePolicy(), pod).counts()) {
            counters.failed.add(uid);
          }
        }
        if (newIndexes.size() + counters.succeeded.size() + counters.failed.size() >= MAX_UNCOUNTED) {
          reachedMax = true;
          break;
        }
      }
      if (indexed) {
        succeededIndexes = succeededIndexes.with(newIndexes);
      }
      JobCondition terminal = finished;
      if (finished != null && finished.type().equals(FAILURE_TARGET)) {
        conditionChanges.add(new ConditionChange(finished, true));
        terminal = new JobCondition(FAILED, Condition.TRUE, finished.reason(), finished.message());
      } else if (finished != null && finished.type().equals(SUCCESS_CRITERIA_MET)) {
        if (trueCondition(SUCCESS_CRITERIA_MET).isEmpty()) {
          conditionChanges.add(new ConditionChange(finished, true));
        }
        terminal = new JobCondition(COMPLETE, Condition.TRUE, finished.reason(), finished.message());
      }
      int activeNow = activeCount;
      write(activeNow, counters, null);
      backoff.store(key, backoffRecord);

      if (!release.isEmpty()) {
        Set<String> expected = finalizerRemovals.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        for (Pod pod : release) {
          expected.add(pod.metadata().uid());
          try {
            if (removeTrackingFinalizer(pod)) {
              withFinalizer.remove(pod.metadata().uid());
            }
          } catch (ApiException e) {
            expected.remove(pod.metadata().uid());
            failure = e;
          }
        }
        counters.countRemoved(withFinalizer);
      }
      boolean done = terminal != null && !reachedMax && counters.succeeded.isEmpty() && counters.failed.isEmpty()
          && terminating == 0;
      if (done) {
        conditionChanges.add(new ConditionChange(terminal, false));
      }
      boolean written = write(activeNow, counters, done && terminal.type().equals(COMPLETE) ? now : null);
      if (done && written) {
        if (terminal.type().equals(COMPLETE)) {
          if (spec.completions() != null && counters.succeededTotal > completions) {
            events.warning(reference(job), "TooManySucceededPods",
                "Too many succeeded pods running after completion count reached");
          }
          events.normal(reference(job), "Completed", "Job completed");
        } else {
          events.warning(reference(job), terminal.reason(), terminal.message());
        }
      }
    }

    /** Writes the status as decided so far; whether it changed. */
    private boolean write(int activeCount, Counters counters, Instant completionTime) {
      ObjectMeta meta = job.metadata();
      List<ConditionChange> changes = List.copyOf(conditionChanges);
      String completedIndexes = indexed ? succeededIndexes.toString() : null;
      String failedIndexesText = failedIndexes == null ? null : failedIndexes.toString();
      int succeededTotal = indexed ? succeededIndexes.total() : counters.succeededTotal;
      boolean[] changed = {false};
      try {
        client.modifyStatus(ResourceTypes.JOBS, meta.namespace(), meta.name(), current -> {
          if (!meta.uid().equals(Meta.uid(current))) {
            return null;
          }
          ObjectNode before = current.has("status") ? current.get("status").deepCopy() : Json.object();
          ObjectNode target = Json.with(current, "status");
          for (ConditionChange change : changes) {
            ensureCondition(target, change);
          }
          if (startTime != null) {
            target.put("startTime", Meta.timestamp(startTime));
          }
          if (completionTime != null) {
            target.put("completionTime", Meta.timestamp(completionTime));
          }
          putOrRemove(target, "active", activeCount);
          putOrRemove(target, "succeeded", succeededTotal);
          putOrRemove(target, "failed", counters.failedTotal);
          target.put("terminating", Math.max(0, terminating));
          target.put("ready", Math.max(0, ready));
          if (completedIndexes != null && !completedIndexes.isEmpty()) {
            target.put("completedIndexes", completedIndexes);
          } else {
            target.remove("completedIndexes");
          }
          if (failedIndexesText != null) {
            target.put("failedIndexes", failedIndexesText);
          }
          ObjectNode uncounted = target.putObject("uncountedTerminatedPods");
          if (!counters.succeeded.isEmpty()) {
            counters.succeeded.forEach(uncounted.putArray("succeeded")::add);
          }
          if (!counters.failed.isEmpty()) {
            counters.failed.forEach(uncounted.putArray("failed")::add);
          }
          changed[0] = !target.equals(before);
          return changed[0] ? current : null;
        });
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
      conditionChanges.clear();
      return changed[0];
    }
  }

  /** The counters and the uncounted uids of a sync. */
  private static final class Counters {
    int succeededTotal;
    int failedTotal;
    final Set<String> succeeded;
    final Set<String> failed;

    Counters(int succeeded, int failed, Set<String> uncountedSucceeded, Set<String> uncountedFailed) {
      this.succeededTotal = succeeded;
      this.failedTotal = failed;
      this.succeeded = new LinkedHashSet<>(uncountedSucceeded);
      this.failed = new LinkedHashSet<>(uncountedFailed);
    }

    /** cleanUncountedPodsWithoutFinalizers: the uncounted pods without a finalizer any more are counted. */
    void countRemoved(Set<String> withFinalizer) {
      Predicate<String> gone = uid -> !withFinalizer.contains(uid);
      int before = succeeded.size();
      succeeded.removeIf(gone);
      succeededTotal += before - succeeded.size();
      before = failed.size();
      failed.removeIf(gone);
      failedTotal += before - failed.size();
    }
  }

  /** A condition to set: {@code append} for the interim ones upstream appends, else ensureJobConditionStatus. */
  private record ConditionChange(JobCondition condition, boolean append) {}

  /**
   * ensureJobConditionStatus: a condition of the type is replaced (new times) when its status, reason or message
   * differ; a missing one is added unless it would be False.
   */
  private void ensureCondition(ObjectNode status, ConditionChange change) {
    JobCondition condition = change.condition();
    ArrayNode conditions = status.get("conditions") instanceof ArrayNode array ? array : null;
    String time = Meta.timestamp(clock.instant());
    ObjectNode node = Json.object();
    node.put("type", condition.type());
    node.put("status", condition.status());
    node.put("lastProbeTime", time);
    node.put("lastTransitionTime", time);
    if (!condition.reason().isEmpty()) {
      node.put("reason", condition.reason());
    }
    if (!condition.message().isEmpty()) {
      node.put("message", condition.message());
    }
    if (conditions != null) {
      for (int i = 0; i < conditions.size(); i++) {
        JsonNode existing = conditions.get(i);
        if (condition.type().equals(Json.textOrNull(existing, "type"))) {
          if (!condition.status().equals(Json.text(existing, "status"))
              || !condition.reason().equals(Json.text(existing, "reason"))
              || !condition.message().equals(Json.text(existing, "message"))) {
            conditions.set(i, node);
          }
          return;
        }
      }
    }
    if (condition.status().equals(Condition.FALSE) && !change.append()) {
      return;
    }
    if (conditions == null) {
      conditions = status.putArray("conditions");
    }
    conditions.add(node);
  }

  /** A non-negative count annotation of a pod; 0 when absent or unreadable, as upstream. */
  private static int annotationCount(Pod pod, String annotation) {
    return Math.max(0, CompletionIndexes.index(pod.metadata().annotations().get(annotation)));
  }

  private static void putOrRemove(ObjectNode status, String field, long value) {
    if (value == 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  /** podGenerateNameWithIndex: {@code <job>-<index>-}, the job name cut so that the name stays within 63. */
  static String generateNameWithIndex(String jobName, int index) {
    String suffix = "-" + index + "-";
    int room = 63 - 5 - suffix.length();
    return (jobName.length() > room ? jobName.substring(0, room) : jobName) + suffix;
  }

  /**
   * addCompletionIndexEnvVariables: every container and init container gets {@code JOB_COMPLETION_INDEX} from the
   * completion index label (PodIndexLabel, GA), unless it sets the variable itself.
   */
  private static void addIndexEnvironment(ObjectNode template) {
    ObjectNode podSpec = Json.with(template, "spec");
    for (String field : List.of("initContainers", "containers")) {
      for (ObjectNode container : Json.objects(podSpec, field)) {
        ArrayNode env = container.get("env") instanceof ArrayNode array ? array : container.putArray("env");
        boolean present = false;
        for (JsonNode variable : env) {
          present |= COMPLETION_INDEX_ENV.equals(Json.textOrNull(variable, "name"));
        }
        if (!present) {
          ObjectNode variable = env.addObject();
          variable.put("name", COMPLETION_INDEX_ENV);
          variable.putObject("valueFrom").putObject("fieldRef")
              .put("fieldPath", "metadata.labels['" + COMPLETION_INDEX + "']");
        }
      }
    }
  }
}

package io.minicluster.controller.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.EventRecorder;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CronJob controller on an in-process API with a clock the tests move: no test waits for a minute to pass. */
class CronJobControllerTest extends ClusterTest {
  private static final String NS = "default";
  private final MutableClock clock = new MutableClock(Instant.now());
  private final AtomicInteger pokes = new AtomicInteger();

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "cronjob-controller", null,
        Clock.systemUTC()));
    cluster.run("cronjob", 1, queue -> new CronJobController(client, cluster.informers(), queue, events, clock,
        ZoneOffset.UTC));
  }

  private ObjectNode create(String name, String schedule, String extraSpec) {
    ObjectNode cronJob = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"schedule\":\""
        + schedule + "\",\"jobTemplate\":{\"metadata\":{\"labels\":{\"team\":\"batch\"},"
        + "\"annotations\":{\"note\":\"kept\"}},\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}}}");
    Json.with(cronJob, "spec").setAll(Json.parseObject(extraSpec));
    return client.create(ResourceTypes.CRON_JOBS, NS, cronJob);
  }

  /** Moves the controller's clock and makes it look at the CronJob again (an update, as a user's edit would). */
  private void advance(String name, Duration duration) {
    clock.advance(duration);
    cluster.modify(ResourceTypes.CRON_JOBS, NS, name, cronJob -> {
      cronJob.with("metadata").with("annotations").put("test/poke", Integer.toString(pokes.incrementAndGet()));
      return cronJob;
    });
  }

  private List<ObjectNode> jobs() {
    return cluster.list(ResourceTypes.JOBS, NS);
  }

  private ObjectNode status(String name) {
    return (ObjectNode) client.get(ResourceTypes.CRON_JOBS, NS, name).get("status");
  }

  private List<String> eventReasons() {
    return cluster.list(ResourceTypes.EVENTS, NS).stream().map(e -> Json.text(e, "reason")).toList();
  }

  /** Finishes a Job as the job controller would. */
  private void finishJob(String name, boolean succeeded, Instant startTime) {
    client.modifyStatus(ResourceTypes.JOBS, NS, name, job -> {
      ObjectNode status = job.with("status");
      String now = Meta.timestamp(clock.instant());
      status.put("startTime", Meta.timestamp(startTime));
      var conditions = status.putArray("conditions");
      if (succeeded) {
        status.put("succeeded", 1);
        status.put("completionTime", now);
        conditions.addObject().put("type", "SuccessCriteriaMet").put("status", "True")
            .put("lastTransitionTime", now);
        conditions.addObject().put("type", "Complete").put("status", "True").put("lastTransitionTime", now);
      } else {
        status.put("failed", 1);
        conditions.addObject().put("type", "FailureTarget").put("status", "True").put("lastTransitionTime", now);
        conditions.addObject().put("type", "Failed").put("status", "True").put("lastTransitionTime", now);
      }
      return job;
    });
  }

  private static Instant minute(Instant time) {
    return time.truncatedTo(ChronoUnit.MINUTES);
  }

  @Test
  void aJobIsCreatedAtEachScheduledMinute() {
    ObjectNode cronJob = create("tick", "*/1 * * * *", "{}");
    advance("tick", Duration.ofSeconds(61));
    Instant first = minute(clock.instant());
    String firstName = "tick-" + first.getEpochSecond() / 60;
    Eventually.assertThat(() -> assertThat(jobs()).extracting(Meta::name).containsExactly(firstName));
    ObjectNode job = client.get(ResourceTypes.JOBS, NS, firstName);
    assertThat(Meta.labels(job)).containsEntry("team", "batch");
    assertThat(Meta.annotations(job)).containsEntry("note", "kept")
        .containsEntry(CronJobController.SCHEDULED_TIMESTAMP, first.toString());
    assertThat(job.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("CronJob");
    assertThat(job.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(cronJob));
    assertThat(job.at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
    assertThat(job.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("busybox");
    Eventually.assertThat(() -> {
      ObjectNode status = status("tick");
      assertThat(status.path("lastScheduleTime").asText()).isEqualTo(Meta.timestamp(first));
      assertThat(status.at("/active/0/name").asText()).isEqualTo(firstName);
      assertThat(status.at("/active/0/kind").asText()).isEqualTo("Job");
      assertThat(status.at("/active/0/uid").asText()).isEqualTo(Meta.uid(job));
    });

    // concurrencyPolicy Allow: the next minute's job runs beside the first
    advance("tick", Duration.ofSeconds(60));
    Eventually.assertThat(() -> {
      assertThat(jobs()).hasSize(2);
      assertThat(status("tick").path("active")).hasSize(2);
      assertThat(eventReasons()).contains("SuccessfulCreate");
    });
  }

  @Test
  void forbidHoldsADueTimeWhileAJobRunsAndFinishedJobsLeaveTheActiveList() {
    create("once", "*/1 * * * *", "{\"concurrencyPolicy\":\"Forbid\"}");
    advance("once", Duration.ofSeconds(61));
    Eventually.assertThat(() -> assertThat(status("once").path("active")).hasSize(1));
    String first = Meta.name(jobs().get(0));
    advance("once", Duration.ofSeconds(60));
    Eventually.assertThat(() -> assertThat(eventReasons()).contains("JobAlreadyActive"));
    assertThat(jobs()).hasSize(1);

    String skipped = "once-" + minute(clock.instant()).getEpochSecond() / 60;

    // once the running job finished, the skipped time is still due (no startingDeadlineSeconds), as upstream
    finishJob(first, true, clock.instant());
    Eventually.assertThat(() -> {
      ObjectNode status = status("once");
      assertThat(status.path("active")).hasSize(1);
      assertThat(status.at("/active/0/name").asText()).isEqualTo(skipped);
      assertThat(status.has("lastSuccessfulTime")).isTrue();
      assertThat(eventReasons()).contains("SawCompletedJob");
      assertThat(jobs()).extracting(Meta::name).containsExactlyInAnyOrder(first, skipped);
    });
  }

  @Test
  void replaceDeletesTheRunningJobForTheNextOne() {
    create("swap", "*/1 * * * *", "{\"concurrencyPolicy\":\"Replace\"}");
    advance("swap", Duration.ofSeconds(61));
    Eventually.assertThat(() -> assertThat(jobs()).hasSize(1));
    String first = Meta.name(jobs().get(0));
    advance("swap", Duration.ofSeconds(60));
    Eventually.assertThat(() -> {
      assertThat(jobs()).extracting(Meta::name).doesNotContain(first).hasSize(1);
      assertThat(status("swap").path("active")).hasSize(1);
      assertThat(eventReasons()).contains("SuccessfulDelete");
    });
  }

  @Test
  void aSuspendedCronJobCreatesNothing() {
    create("paused", "*/1 * * * *", "{\"suspend\":true}");
    advance("paused", Duration.ofSeconds(61));
    advance("paused", Duration.ofSeconds(60));
    cluster.modify(ResourceTypes.CRON_JOBS, NS, "paused", cronJob -> {
      cronJob.with("spec").put("suspend", false);
      return cronJob;
    });
    // resumed: the missed minute is still due (no startingDeadlineSeconds)
    Eventually.assertThat(() -> assertThat(jobs()).hasSize(1));
    assertThat(Meta.name(jobs().get(0))).isEqualTo("paused-" + minute(clock.instant()).getEpochSecond() / 60);
  }

  @Test
  void finishedJobsBeyondTheHistoryLimitsAreDeletedOldestFirst() {
    create("kept", "*/1 * * * *", "{\"successfulJobsHistoryLimit\":1,\"failedJobsHistoryLimit\":0}");
    for (int i = 0; i < 3; i++) {
      int expected = i + 1;
      advance("kept", Duration.ofSeconds(60));
      Eventually.assertThat(() -> assertThat(status("kept").path("active")).hasSize(expected));
    }
    List<String> names = jobs().stream().map(Meta::name).sorted().toList();
    finishJob(names.get(0), true, clock.instant().minusSeconds(180));
    finishJob(names.get(1), true, clock.instant().minusSeconds(120));
    finishJob(names.get(2), false, clock.instant().minusSeconds(60));
    Eventually.assertThat(() -> {
      assertThat(jobs()).extracting(Meta::name).containsExactly(names.get(1));
      assertThat(status("kept").has("active")).isFalse();
    });
  }

  @Test
  void manyMissedTimesAreReportedAndOnlyTheLatestRuns() {
    create("late", "*/1 * * * *", "{}");
    advance("late", Duration.ofHours(3));
    Eventually.assertThat(() -> {
      assertThat(jobs()).extracting(Meta::name)
          .containsExactly("late-" + minute(clock.instant()).getEpochSecond() / 60);
      assertThat(eventReasons()).contains("TooManyMissedTimes");
    });
  }
}

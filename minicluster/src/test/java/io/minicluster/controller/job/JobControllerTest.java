package io.minicluster.controller.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Kinds;
import io.minicluster.controller.garbagecollector.GarbageCollector;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobControllerTest extends ClusterTest {
  private static final String NS = "default";

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    EventRecorder events = cluster.closeLater(new EventRecorder(client, "job-controller", null, Clock.systemUTC()));
    cluster.run("job", 2, queue -> new JobController(client, cluster.informers(), queue, events, Clock.systemUTC(),
        Duration.ofMillis(200)));
    cluster.run("garbage-collector", 1, queue -> new GarbageCollector(client, cluster.informers(), queue));
  }

  private static ObjectNode job(String name, String spec) {
    ObjectNode job = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
        + "\"template\":{\"spec\":{\"restartPolicy\":\"Never\","
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
    Json.with(job, "spec").setAll(Json.parseObject(spec));
    return job;
  }

  private ObjectNode create(String name, String spec) {
    return client.create(ResourceTypes.JOBS, NS, job(name, spec));
  }

  /** The job's pods that are neither finished nor being deleted. */
  private List<ObjectNode> activePods(String job) {
    return cluster.list(ResourceTypes.PODS, NS).stream()
        .filter(pod -> job.equals(Meta.labels(pod).get("batch.kubernetes.io/job-name")) && !Meta.deleting(pod))
        .filter(pod -> !List.of("Succeeded", "Failed").contains(pod.at("/status/phase").asText()))
        .toList();
  }

  private List<ObjectNode> pods(String job) {
    return cluster.list(ResourceTypes.PODS, NS).stream()
        .filter(pod -> job.equals(Meta.labels(pod).get("batch.kubernetes.io/job-name"))).toList();
  }

  private ObjectNode status(String job) {
    return (ObjectNode) client.get(ResourceTypes.JOBS, NS, job).get("status");
  }

  private static JsonNode condition(ObjectNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return null;
  }

  /** Ends the pod's one container with an exit code, as the node agent reports it. */
  private void finish(ObjectNode pod, int exitCode) {
    client.modifyStatus(ResourceTypes.PODS, NS, Meta.name(pod), current -> {
      ObjectNode status = current.with("status");
      status.put("phase", exitCode == 0 ? "Succeeded" : "Failed");
      ObjectNode terminated = status.putArray("containerStatuses").addObject().put("name", "c")
          .put("image", "busybox").put("imageID", "").put("ready", false).put("restartCount", 0)
          .putObject("state").putObject("terminated");
      terminated.put("exitCode", exitCode).put("reason", exitCode == 0 ? "Completed" : "Error")
          .put("finishedAt", Meta.timestamp(Instant.now()));
      return current;
    });
  }

  private List<String> eventReasons() {
    return cluster.list(ResourceTypes.EVENTS, NS).stream().map(e -> Json.text(e, "reason")).toList();
  }

  @Test
  void runsPodsUpToParallelismUntilCompletionsAndCompletes() {
    ObjectNode job = create("work", "{\"completions\":3,\"parallelism\":2}");
    Eventually.assertThat(() -> assertThat(activePods("work")).hasSize(2));
    Eventually.assertThat(() -> assertThat(status("work").path("active").asInt()).isEqualTo(2));
    for (ObjectNode pod : activePods("work")) {
      assertThat(Meta.name(pod)).matches("work-[a-z0-9]{5}");
      assertThat(pod.at("/metadata/finalizers").toString()).contains(JobController.TRACKING_FINALIZER);
      assertThat(pod.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Job");
      assertThat(pod.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(job));
      assertThat(pod.at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
    }
    assertThat(status("work").has("startTime")).isTrue();
    assertThat(status("work").path("ready").asInt(-1)).isZero();
    activePods("work").forEach(pod -> finish(pod, 0));
    Eventually.assertThat(() -> {
      assertThat(status("work").path("succeeded").asInt()).isEqualTo(2);
      assertThat(activePods("work")).hasSize(1);
    });
    finish(activePods("work").get(0), 0);
    Eventually.assertThat(() -> {
      ObjectNode status = status("work");
      assertThat(status.path("succeeded").asInt()).isEqualTo(3);
      assertThat(status.has("active")).isFalse();
      assertThat(status.has("completionTime")).isTrue();
      assertThat(condition(status, "SuccessCriteriaMet").path("reason").asText()).isEqualTo("CompletionsReached");
      JsonNode complete = condition(status, "Complete");
      assertThat(complete.path("status").asText()).isEqualTo("True");
      assertThat(complete.path("reason").asText()).isEqualTo("CompletionsReached");
      assertThat(complete.path("message").asText()).isEqualTo("Reached expected number of succeeded pods");
      assertThat(status.path("uncountedTerminatedPods").isEmpty()).isTrue();
      // counted pods lose the tracking finalizer
      assertThat(pods("work")).hasSize(3).allSatisfy(pod -> assertThat(pod.has("metadata")
          && pod.at("/metadata/finalizers").toString().contains(JobController.TRACKING_FINALIZER)).isFalse());
      assertThat(eventReasons()).contains("SuccessfulCreate", "Completed");
    });
  }

  @Test
  void withoutCompletionsTheFirstSuccessStopsNewPodsAndTheJobCompletesWhenAllAreDone() {
    create("queue", "{\"parallelism\":2}");
    // the registry leaves completions unset when only parallelism is given
    assertThat(client.get(ResourceTypes.JOBS, NS, "queue").at("/spec/completions").isMissingNode()).isTrue();
    Eventually.assertThat(() -> assertThat(activePods("queue")).hasSize(2));
    List<ObjectNode> workers = activePods("queue");
    finish(workers.get(0), 0);
    Eventually.assertThat(() -> assertThat(status("queue").path("succeeded").asInt()).isEqualTo(1));
    assertThat(activePods("queue")).hasSize(1);
    assertThat(condition(status("queue"), "Complete")).isNull();
    finish(workers.get(1), 0);
    Eventually.assertThat(() -> {
      assertThat(condition(status("queue"), "Complete")).isNotNull();
      assertThat(status("queue").path("succeeded").asInt()).isEqualTo(2);
    });
    assertThat(pods("queue")).hasSize(2);
  }

  @Test
  void anAdoptedOrphanGetsTheTrackingFinalizerAndCounts() {
    client.create(ResourceTypes.PODS, NS, TestCluster.pod("stray", "app=worker"));
    Eventually.assertThat(() -> assertThat(cluster.informers().informer(Kinds.PODS).get(NS, "stray")).isPresent());
    ObjectNode job = job("manual", "{\"manualSelector\":true,\"selector\":{\"matchLabels\":{\"app\":\"worker\"}}}");
    Json.with(job, "spec", "template", "metadata", "labels").put("app", "worker");
    ObjectNode created = client.create(ResourceTypes.JOBS, NS, job);
    Eventually.assertThat(() -> {
      ObjectNode stray = client.get(ResourceTypes.PODS, NS, "stray");
      assertThat(stray.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Meta.uid(created));
      assertThat(stray.at("/metadata/finalizers").toString()).contains(JobController.TRACKING_FINALIZER);
      assertThat(status("manual").path("active").asInt()).isEqualTo(1);
    });
    // the adopted pod is the one the Job needs
    assertThat(cluster.list(ResourceTypes.PODS, NS)).hasSize(1);
    finish(client.get(ResourceTypes.PODS, NS, "stray"), 0);
    Eventually.assertThat(() -> {
      assertThat(status("manual").path("succeeded").asInt()).isEqualTo(1);
      assertThat(condition(status("manual"), "Complete")).isNotNull();
    });
  }

  @Test
  void failedPodsAreReplacedAfterTheBackOffUntilTheBackoffLimit() {
    create("flaky", "{\"backoffLimit\":1}");
    Eventually.assertThat(() -> assertThat(activePods("flaky")).hasSize(1));
    finish(activePods("flaky").get(0), 1);
    Eventually.assertThat(() -> {
      assertThat(status("flaky").path("failed").asInt()).isEqualTo(1);
      assertThat(activePods("flaky")).hasSize(1);
    });
    assertThat(condition(status("flaky"), "Failed")).isNull();
    finish(activePods("flaky").get(0), 1);
    Eventually.assertThat(() -> {
      ObjectNode status = status("flaky");
      assertThat(status.path("failed").asInt()).isEqualTo(2);
      assertThat(condition(status, "FailureTarget").path("reason").asText()).isEqualTo("BackoffLimitExceeded");
      JsonNode failed = condition(status, "Failed");
      assertThat(failed.path("status").asText()).isEqualTo("True");
      assertThat(failed.path("reason").asText()).isEqualTo("BackoffLimitExceeded");
      assertThat(failed.path("message").asText()).isEqualTo("Job has reached the specified backoff limit");
      assertThat(status.has("completionTime")).isFalse();
      assertThat(eventReasons()).contains("BackoffLimitExceeded");
    });
    assertThat(pods("flaky")).hasSize(2);
  }

  @Test
  void theBackOffDoublesPerFailureSinceTheLastSuccess() {
    PodFailureBackoff backoff = new PodFailureBackoff(Duration.ofSeconds(10), Duration.ofMinutes(10));
    Instant failure = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(backoff.remaining(new PodFailureBackoff.Record(1, failure), failure)).hasSeconds(10);
    assertThat(backoff.remaining(new PodFailureBackoff.Record(3, failure), failure.plusSeconds(5))).hasSeconds(35);
    assertThat(backoff.remaining(new PodFailureBackoff.Record(20, failure), failure)).isEqualTo(Duration.ofMinutes(10));
    assertThat(backoff.remaining(new PodFailureBackoff.Record(1, failure), failure.plusSeconds(11))).isZero();
    assertThat(backoff.remaining(PodFailureBackoff.Record.NONE, failure)).isZero();
  }

  @Test
  void indexedPodsCarryTheirIndexAndCompletedIndexesAreListed() {
    create("idx", "{\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\"}");
    Eventually.assertThat(() -> assertThat(activePods("idx")).hasSize(3));
    for (ObjectNode pod : activePods("idx")) {
      String index = pod.at("/metadata/annotations").path(JobController.COMPLETION_INDEX).asText();
      assertThat(index).matches("[0-2]");
      assertThat(Meta.name(pod)).matches("idx-" + index + "-[a-z0-9]{5}");
      assertThat(Meta.labels(pod)).containsEntry(JobController.COMPLETION_INDEX, index);
      assertThat(pod.at("/spec/hostname").asText()).isEqualTo("idx-" + index);
      JsonNode env = pod.at("/spec/containers/0/env/0");
      assertThat(env.path("name").asText()).isEqualTo("JOB_COMPLETION_INDEX");
      assertThat(env.at("/valueFrom/fieldRef/fieldPath").asText())
          .isEqualTo("metadata.labels['batch.kubernetes.io/job-completion-index']");
    }
    ObjectNode second = activePods("idx").stream().filter(pod -> Meta.name(pod).startsWith("idx-1-")).findFirst()
        .orElseThrow();
    finish(second, 0);
    Eventually.assertThat(() -> assertThat(status("idx").path("completedIndexes").asText()).isEqualTo("1"));
    activePods("idx").forEach(pod -> finish(pod, 0));
    Eventually.assertThat(() -> {
      ObjectNode status = status("idx");
      assertThat(status.path("completedIndexes").asText()).isEqualTo("0-2");
      assertThat(status.path("succeeded").asInt()).isEqualTo(3);
      assertThat(condition(status, "Complete")).isNotNull();
    });
  }

  @Test
  void aFailedIndexIsRecreatedWithTheSameIndex() {
    create("redo", "{\"completions\":2,\"parallelism\":2,\"completionMode\":\"Indexed\"}");
    Eventually.assertThat(() -> assertThat(activePods("redo")).hasSize(2));
    ObjectNode first = activePods("redo").stream().filter(pod -> Meta.name(pod).startsWith("redo-0-")).findFirst()
        .orElseThrow();
    finish(first, 1);
    Eventually.assertThat(() -> {
      assertThat(status("redo").path("failed").asInt()).isEqualTo(1);
      assertThat(activePods("redo")).extracting(Meta::name).anyMatch(name -> name.startsWith("redo-0-"))
          .hasSize(2);
    });
  }

  private ObjectNode podOfIndex(String job, int index) {
    return activePods(job).stream().filter(pod -> Meta.name(pod).startsWith(job + "-" + index + "-")).findFirst()
        .orElseThrow();
  }

  @Test
  void withABackoffLimitPerIndexAnIndexFailsAloneAndTheJobFailsWithFailedIndexes() {
    create("per", "{\"completions\":2,\"parallelism\":2,\"completionMode\":\"Indexed\","
        + "\"backoffLimitPerIndex\":1}");
    Eventually.assertThat(() -> assertThat(activePods("per")).hasSize(2));
    assertThat(Meta.annotations(podOfIndex("per", 0))).containsEntry(JobController.INDEX_FAILURE_COUNT, "0");
    finish(podOfIndex("per", 0), 1);
    // the index gets a new pod that carries the failure
    Eventually.assertThat(() -> {
      assertThat(activePods("per")).hasSize(2);
      assertThat(Meta.annotations(podOfIndex("per", 0))).containsEntry(JobController.INDEX_FAILURE_COUNT, "1");
      assertThat(status("per").path("failed").asInt()).isEqualTo(1);
      assertThat(status("per").path("failedIndexes").asText("-")).isEmpty();
    });
    finish(podOfIndex("per", 0), 1);
    Eventually.assertThat(() -> {
      assertThat(status("per").path("failedIndexes").asText()).isEqualTo("0");
      assertThat(activePods("per")).hasSize(1);
    });
    assertThat(condition(status("per"), "Failed")).isNull();
    finish(podOfIndex("per", 1), 0);
    Eventually.assertThat(() -> {
      ObjectNode status = status("per");
      JsonNode failed = condition(status, "Failed");
      assertThat(failed).isNotNull();
      assertThat(failed.path("reason").asText()).isEqualTo("FailedIndexes");
      assertThat(failed.path("message").asText()).isEqualTo("Job has failed indexes");
      assertThat(status.path("completedIndexes").asText()).isEqualTo("1");
      assertThat(status.path("failed").asInt()).isEqualTo(2);
    });
  }

  @Test
  void moreFailedIndexesThanMaxFailedIndexesFailTheJob() {
    create("strict", "{\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\","
        + "\"backoffLimitPerIndex\":0,\"maxFailedIndexes\":0}");
    Eventually.assertThat(() -> assertThat(activePods("strict")).hasSize(3));
    finish(podOfIndex("strict", 2), 1);
    Eventually.assertThat(() -> {
      ObjectNode status = status("strict");
      JsonNode failed = condition(status, "Failed");
      assertThat(failed).isNotNull();
      assertThat(failed.path("reason").asText()).isEqualTo("MaxFailedIndexesExceeded");
      assertThat(failed.path("message").asText())
          .isEqualTo("Job has exceeded the specified maximal number of failed indexes");
      assertThat(status.path("failedIndexes").asText()).isEqualTo("2");
      assertThat(activePods("strict")).isEmpty();
    });
  }

  @Test
  void aJobActiveLongerThanItsDeadlineFailsAndLosesItsPods() {
    create("slow", "{\"activeDeadlineSeconds\":1,\"parallelism\":2,\"completions\":4}");
    Eventually.assertThat(() -> assertThat(activePods("slow")).hasSize(2));
    Eventually.assertThat(() -> {
      ObjectNode status = status("slow");
      JsonNode failed = condition(status, "Failed");
      assertThat(failed).isNotNull();
      assertThat(failed.path("reason").asText()).isEqualTo("DeadlineExceeded");
      assertThat(failed.path("message").asText()).isEqualTo("Job was active longer than specified deadline");
      assertThat(status.path("failed").asInt()).isEqualTo(2);
      assertThat(activePods("slow")).isEmpty();
      assertThat(status.has("active")).isFalse();
    });
  }

  @Test
  void aSuspendedJobHasNoPodsUntilResumedAndLosesThemWhenSuspendedAgain() {
    create("later", "{\"suspend\":true}");
    Eventually.assertThat(() -> {
      JsonNode suspended = condition(status("later"), "Suspended");
      assertThat(suspended).isNotNull();
      assertThat(suspended.path("status").asText()).isEqualTo("True");
      assertThat(suspended.path("reason").asText()).isEqualTo("JobSuspended");
      assertThat(suspended.path("message").asText()).isEqualTo("Job suspended");
    });
    assertThat(pods("later")).isEmpty();
    assertThat(status("later").has("startTime")).isFalse();

    cluster.modify(ResourceTypes.JOBS, NS, "later", job -> {
      job.with("spec").put("suspend", false);
      return job;
    });
    Eventually.assertThat(() -> {
      assertThat(activePods("later")).hasSize(1);
      JsonNode suspended = condition(status("later"), "Suspended");
      assertThat(suspended.path("status").asText()).isEqualTo("False");
      assertThat(suspended.path("reason").asText()).isEqualTo("JobResumed");
      assertThat(status("later").has("startTime")).isTrue();
    });

    cluster.modify(ResourceTypes.JOBS, NS, "later", job -> {
      job.with("spec").put("suspend", true);
      return job;
    });
    Eventually.assertThat(() -> {
      assertThat(activePods("later")).isEmpty();
      assertThat(condition(status("later"), "Suspended").path("status").asText()).isEqualTo("True");
      // pods deleted for suspension are not failures
      assertThat(status("later").path("failed").asInt()).isZero();
      assertThat(eventReasons()).contains("Suspended", "Resumed", "SuccessfulDelete");
    });
  }

  @Test
  void aFailJobRuleFailsTheJobAndAnIgnoreRuleDoesNotCount() {
    String policy = "{\"backoffLimit\":0,\"podFailurePolicy\":{\"rules\":["
        + "{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[3]}},"
        + "{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"c\",\"operator\":\"In\",\"values\":[42]}}]}}";
    create("policy", policy);
    Eventually.assertThat(() -> assertThat(activePods("policy")).hasSize(1));
    finish(activePods("policy").get(0), 3);
    // ignored: not counted, so backoffLimit 0 is not exceeded, and the pod is replaced
    Eventually.assertThat(() -> assertThat(activePods("policy")).hasSize(1));
    assertThat(status("policy").path("failed").asInt()).isZero();
    assertThat(condition(status("policy"), "Failed")).isNull();

    ObjectNode second = activePods("policy").get(0);
    finish(second, 42);
    Eventually.assertThat(() -> {
      ObjectNode status = status("policy");
      JsonNode failed = condition(status, "Failed");
      assertThat(failed).isNotNull();
      assertThat(failed.path("reason").asText()).isEqualTo("PodFailurePolicy");
      assertThat(failed.path("message").asText()).isEqualTo("Container c for pod default/" + Meta.name(second)
          + " failed with exit code 42 matching FailJob rule at index 1");
      assertThat(condition(status, "FailureTarget").path("reason").asText()).isEqualTo("PodFailurePolicy");
      assertThat(status.path("failed").asInt()).isEqualTo(1);
    });
  }

  @Test
  void aSuccessPolicyEndsAnIndexedJobEarly() {
    create("leader", "{\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\","
        + "\"successPolicy\":{\"rules\":[{\"succeededIndexes\":\"0\"}]}}");
    Eventually.assertThat(() -> assertThat(activePods("leader")).hasSize(3));
    ObjectNode leader = activePods("leader").stream().filter(pod -> Meta.name(pod).startsWith("leader-0-"))
        .findFirst().orElseThrow();
    finish(leader, 0);
    Eventually.assertThat(() -> {
      ObjectNode status = status("leader");
      JsonNode met = condition(status, "SuccessCriteriaMet");
      assertThat(met).isNotNull();
      assertThat(met.path("reason").asText()).isEqualTo("SuccessPolicy");
      assertThat(met.path("message").asText()).isEqualTo("Matched rules at index 0");
      JsonNode complete = condition(status, "Complete");
      assertThat(complete).isNotNull();
      assertThat(complete.path("reason").asText()).isEqualTo("SuccessPolicy");
      assertThat(status.path("completedIndexes").asText()).isEqualTo("0");
      assertThat(status.path("failed").asInt()).isZero();
      assertThat(activePods("leader")).isEmpty();
    });
  }

  @Test
  void aFinishedJobWithATtlIsDeletedWithItsPods() {
    create("brief", "{\"ttlSecondsAfterFinished\":1}");
    Eventually.assertThat(() -> assertThat(activePods("brief")).hasSize(1));
    finish(activePods("brief").get(0), 0);
    // complete first (the TTL runs from completionTime; the job may already be gone when this looks)
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.JOBS, NS, "brief")
        .map(job -> condition((ObjectNode) job.get("status"), "Complete") != null).orElse(true)).isTrue());
    Eventually.assertThat(() -> {
      assertThat(client.find(ResourceTypes.JOBS, NS, "brief")).isEmpty();
      assertThat(pods("brief")).isEmpty();
    });
  }

  @Test
  void deletingAJobReleasesItsPodsTrackingFinalizers() {
    create("gone", "{\"parallelism\":2,\"completions\":2}");
    Eventually.assertThat(() -> assertThat(activePods("gone")).hasSize(2));
    client.delete(ResourceTypes.JOBS, NS, "gone", new DeleteOptions(null, "Background",
        null, null, false));
    Eventually.assertThat(() -> assertThat(pods("gone")).isEmpty());
  }

  @Test
  void completionIndexesAreWrittenAsUpstreamDoes() {
    assertThat(CompletionIndexes.of(List.of(0, 1, 2, 5, 7, 8)).toString()).isEqualTo("0-2,5,7,8");
    assertThat(CompletionIndexes.parse("1,3-5,9", 6).toString()).isEqualTo("1,3-5");
    assertThat(CompletionIndexes.parse("", 3).total()).isZero();
    assertThat(JobController.generateNameWithIndex("a".repeat(60), 12)).hasSize(58).endsWith("a-12-");
  }
}

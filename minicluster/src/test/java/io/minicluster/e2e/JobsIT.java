package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs run by the job controller on the local Docker engine, driven by the real kubectl 1.35: a job created with
 * {@code kubectl create job} completes and {@code kubectl wait --for=condition=complete} returns, a failing job stops
 * at its backoffLimit with the Failed condition (after the 10 s pod-failure back-off), an Indexed job's pods see
 * their JOB_COMPLETION_INDEX, {@code create job --from=cronjob/} runs the CronJob's template, and a CronJob
 * scheduled every minute ({@code *&#47;1 * * * *}, made first, checked last) starts its job within 70 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsIT {
  /** How soon a CronJob scheduled every minute must have started its first job (issue 12). */
  private static final Duration FIRST_RUN = Duration.ofSeconds(70);
  private static final String IMAGE = "minicluster-test/busybox:1";

  private NodeCluster cluster;
  private Instant cronJobCreated;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    cluster = NodeCluster.start(temp, "e2e-jobs");
    kubectl = cluster.kubectl();
    kubectl.run("create", "cronjob", "minutely", "--image=" + IMAGE, "--schedule=*/1 * * * *", "--", "sh", "-c",
        "echo tick").assertOk();
    cronJobCreated = Instant.now();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Kubectl.Result run(long timeoutSeconds, String... args) throws Exception {
    return kubectl.run(Arrays.asList(args), null, Map.of(), timeoutSeconds);
  }

  @Test
  @Order(1)
  void aJobCompletesAndKubectlWaitReturns() throws Exception {
    kubectl.run("create", "job", "pi", "--image=" + IMAGE, "--", "sh", "-c", "echo done; exit 0").assertOk();
    run(150, "wait", "--for=condition=complete", "job/pi", "--timeout=120s").assertOk();
    assertThat(kubectl.run("get", "job", "pi", "-o",
        "jsonpath={.status.succeeded} {.status.conditions[?(@.type==\"Complete\")].reason}").assertOk().stdout())
        .isEqualTo("1 CompletionsReached");
    assertThat(kubectl.run("get", "jobs").assertOk().stdout()).containsPattern("pi\\s+Complete\\s+1/1");
    assertThat(kubectl.run("logs", "job/pi").assertOk().stdout()).contains("done");
    assertThat(kubectl.run("describe", "job", "pi").assertOk().stdout())
        .containsPattern("Pods Statuses:\\s+0 Active \\(0 Ready\\) / 1 Succeeded / 0 Failed")
        .contains("SuccessfulCreate", "Completed");
  }

  @Test
  @Order(2)
  void aFailingJobStopsAtItsBackoffLimit() throws Exception {
    kubectl.runWithInput("""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: broken
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 1
              containers:
              - name: broken
                image: %s
                command: [sh, -c, "exit 3"]
        """.formatted(IMAGE), "create", "-f", "-").assertOk();
    run(150, "wait", "--for=condition=failed", "job/broken", "--timeout=120s").assertOk();
    assertThat(kubectl.run("get", "job", "broken", "-o",
        "jsonpath={.status.failed} {.status.conditions[?(@.type==\"Failed\")].reason}").assertOk().stdout())
        .isEqualTo("2 BackoffLimitExceeded");
    assertThat(kubectl.run("get", "pods", "-l", "batch.kubernetes.io/job-name=broken", "-o", "name").assertOk()
        .stdout().lines()).hasSize(2);
  }

  @Test
  @Order(3)
  void indexedPodsSeeTheirCompletionIndex() throws Exception {
    kubectl.runWithInput("""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: indexed
        spec:
          completions: 3
          parallelism: 3
          completionMode: Indexed
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: worker
                image: %s
                command: [sh, -c, "echo index=$JOB_COMPLETION_INDEX"]
        """.formatted(IMAGE), "create", "-f", "-").assertOk();
    run(150, "wait", "--for=condition=complete", "job/indexed", "--timeout=120s").assertOk();
    assertThat(kubectl.run("get", "job", "indexed", "-o", "jsonpath={.status.completedIndexes}").assertOk().stdout())
        .isEqualTo("0-2");
    List<String> logs = kubectl.run("logs", "-l", "batch.kubernetes.io/job-name=indexed").assertOk().stdout()
        .lines().sorted().toList();
    assertThat(logs).containsExactly("index=0", "index=1", "index=2");
  }

  @Test
  @Order(4)
  void aJobFromACronJobRunsItsTemplate() throws Exception {
    kubectl.run("create", "cronjob", "nightly", "--image=" + IMAGE, "--schedule=0 3 * * *", "--", "sh", "-c",
        "echo from-cron").assertOk();
    kubectl.run("create", "job", "manual", "--from=cronjob/nightly").assertOk();
    run(150, "wait", "--for=condition=complete", "job/manual", "--timeout=120s").assertOk();
    assertThat(kubectl.run("logs", "job/manual").assertOk().stdout()).contains("from-cron");
    assertThat(kubectl.run("get", "job", "manual", "-o",
        "jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}").assertOk().stdout())
        .isEqualTo("manual");
  }

  @Test
  @Order(5)
  void aCronJobEveryMinuteStartsAJobWithinSeventySeconds() throws Exception {
    // the first job is named after the first minute that turns after the CronJob's creation
    Instant created = Instant.parse(kubectl.run("get", "cronjob", "minutely", "-o",
        "jsonpath={.metadata.creationTimestamp}").assertOk().stdout());
    String job = "minutely-" + (created.truncatedTo(ChronoUnit.MINUTES).getEpochSecond() / 60 + 1);
    long left = Math.max(1, Duration.between(Instant.now(), cronJobCreated.plus(FIRST_RUN)).toSeconds());
    run(left + 30, "wait", "--for=create", "job/" + job, "--timeout=" + left + "s").assertOk();
    run(150, "wait", "--for=condition=complete", "job/" + job, "--timeout=120s").assertOk();
    assertThat(kubectl.run("get", "job", job, "-o",
        "jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}").assertOk().stdout())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00.*");
    assertThat(kubectl.run("get", "cronjob", "minutely").assertOk().stdout())
        .containsPattern("minutely\\s+\\*/1 \\* \\* \\* \\*\\s+<none>\\s+False\\s+[01]\\s+\\d+s");
  }
}

package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API side of issue 12's kinds with the real kubectl 1.35: Jobs, CronJobs, DaemonSets, StatefulSets,
 * ControllerRevisions, PersistentVolumes, PersistentVolumeClaims and StorageClasses are served, listed in discovery
 * with their short names, created from YAML and by kubectl's generators, printed with upstream's columns, and bad
 * input is refused with the apiserver's 422. Without a node agent the controllers' pods stay pending (JobsIT,
 * DaemonSetAndStatefulSetIT and PersistentStorageIT run them); the daemon brings its default StorageClass local-path,
 * and a claim waits for its first consumer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadAndStorageKindsIT {
  private static final String IMAGE = "minicluster-test/busybox:1";

  private Path temp;
  private DaemonProcess daemon;
  private Kubectl kubectl;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    this.temp = temp;
    daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent", "--socks-port", "-1")).start();
    kubectl = new Kubectl(daemon.kubeconfig());
  }

  @AfterAll
  void stop() throws Exception {
    if (daemon != null) {
      assertThat(daemon.stop()).as("clean exit on SIGTERM").isEqualTo(0);
    }
  }

  private Path write(String name, String content) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private String get(String... args) throws Exception {
    return kubectl.run(args).assertOk().stdout();
  }

  private static String header(String table) {
    return table.lines().findFirst().orElseThrow();
  }

  private String rejected(String name, String yaml) throws Exception {
    Kubectl.Result result = kubectl.run("create", "-f", write(name, yaml).toString());
    assertThat(result.exitCode()).as(result.stdout()).isNotZero();
    return result.stderr();
  }

  @Test
  @Order(1)
  void discoveryListsTheKindsWithTheirShortNames() throws Exception {
    String resources = get("api-resources");
    assertThat(resources.lines()).anyMatch(l -> l.matches("cronjobs\\s+cj\\s+batch/v1\\s+true\\s+CronJob"))
        .anyMatch(l -> l.matches("jobs\\s+batch/v1\\s+true\\s+Job"))
        .anyMatch(l -> l.matches("daemonsets\\s+ds\\s+apps/v1\\s+true\\s+DaemonSet"))
        .anyMatch(l -> l.matches("statefulsets\\s+sts\\s+apps/v1\\s+true\\s+StatefulSet"))
        .anyMatch(l -> l.matches("controllerrevisions\\s+apps/v1\\s+true\\s+ControllerRevision"))
        .anyMatch(l -> l.matches("persistentvolumes\\s+pv\\s+v1\\s+false\\s+PersistentVolume"))
        .anyMatch(l -> l.matches("persistentvolumeclaims\\s+pvc\\s+v1\\s+true\\s+PersistentVolumeClaim"))
        .anyMatch(l -> l.matches("storageclasses\\s+sc\\s+storage.k8s.io/v1\\s+false\\s+StorageClass"));
    assertThat(get("api-versions")).contains("batch/v1", "storage.k8s.io/v1");
  }

  @Test
  @Order(2)
  void eachKindIsCreatedFromYamlAndPrintedWithUpstreamsColumns() throws Exception {
    Path manifests = write("kinds.yaml", """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: pi
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: pi
                image: %1$s
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: hello
        spec:
          schedule: "*/1 * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - name: hello
                    image: %1$s
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels: {app: agent}
          template:
            metadata:
              labels: {app: agent}
            spec:
              containers:
              - name: agent
                image: %1$s
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          replicas: 2
          serviceName: web
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: %1$s
          volumeClaimTemplates:
          - metadata:
              name: www
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-1
        spec:
          capacity:
            storage: 5Gi
          accessModes: [ReadWriteOnce]
          hostPath:
            path: /tmp/pv-1
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: local-path
          resources:
            requests:
              storage: 1Gi
        ---
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata:
          name: web-1
        revision: 1
        data:
          spec: {template: {}}
        """.formatted(IMAGE));
    assertThat(get("create", "-f", manifests.toString())).contains("job.batch/pi created",
        "cronjob.batch/hello created", "daemonset.apps/agent created", "statefulset.apps/web created",
        "persistentvolume/pv-1 created",
        "persistentvolumeclaim/data created", "controllerrevision.apps/web-1 created");

    String jobs = get("get", "jobs");
    assertThat(header(jobs)).matches("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE");
    assertThat(jobs).containsPattern("pi\\s+Running\\s+0/1\\s+\\d+s");
    assertThat(get("get", "job", "pi", "-o", "jsonpath={.spec.selector.matchLabels}"))
        .contains("batch.kubernetes.io/controller-uid");
    assertThat(get("get", "job", "pi", "-o", "jsonpath={.spec.backoffLimit} {.spec.completionMode}"))
        .isEqualTo("6 NonIndexed");
    String cronJobs = get("get", "cj");
    assertThat(header(cronJobs)).matches(
        "NAME\\s+SCHEDULE\\s+TIMEZONE\\s+SUSPEND\\s+ACTIVE\\s+LAST SCHEDULE\\s+AGE");
    // a minute may have turned since the CronJob was made: then the controller started a job
    assertThat(cronJobs).containsPattern(
        "hello\\s+\\*/1 \\* \\* \\* \\*\\s+<none>\\s+False\\s+[01]\\s+(<none>|\\d+s)\\s+\\d+s");
    String daemonSets = get("get", "ds");
    assertThat(header(daemonSets)).matches(
        "NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+NODE SELECTOR\\s+AGE");
    // the counts are the DaemonSet controller's (DaemonSetControllerTest); here the columns
    assertThat(daemonSets).containsPattern("agent(\\s+\\d+){5}\\s+<none>\\s+\\d+s");
    String statefulSets = get("get", "sts");
    assertThat(header(statefulSets)).matches("NAME\\s+READY\\s+AGE");
    assertThat(statefulSets).containsPattern("web\\s+\\d/2\\s+\\d+s");
    String classes = get("get", "sc");
    assertThat(header(classes)).matches(
        "NAME\\s+PROVISIONER\\s+RECLAIMPOLICY\\s+VOLUMEBINDINGMODE\\s+ALLOWVOLUMEEXPANSION\\s+AGE");
    assertThat(classes).containsPattern(
        "local-path \\(default\\)\\s+rancher.io/local-path\\s+Delete\\s+WaitForFirstConsumer\\s+true");
    // the daemon's own class local-path; the volume controller makes the unclaimed volume Available
    kubectl.run("wait", "--for=jsonpath={.status.phase}=Available", "pv/pv-1", "--timeout=60s").assertOk();
    String volumes = get("get", "pv");
    assertThat(header(volumes)).matches("NAME\\s+CAPACITY\\s+ACCESS MODES\\s+RECLAIM POLICY\\s+STATUS\\s+CLAIM\\s+"
        + "STORAGECLASS\\s+VOLUMEATTRIBUTESCLASS\\s+REASON\\s+AGE");
    assertThat(volumes).containsPattern("pv-1\\s+5Gi\\s+RWO\\s+Retain\\s+Available\\s+<unset>\\s+\\d+s");
    String claims = get("get", "pvc");
    assertThat(header(claims)).matches(
        "NAME\\s+STATUS\\s+VOLUME\\s+CAPACITY\\s+ACCESS MODES\\s+STORAGECLASS\\s+VOLUMEATTRIBUTESCLASS\\s+AGE");
    assertThat(claims).containsPattern("data\\s+Pending\\s+local-path\\s+<unset>\\s+\\d+s");
    String revisions = get("get", "controllerrevisions");
    assertThat(header(revisions)).matches("NAME\\s+CONTROLLER\\s+REVISION\\s+AGE");
    assertThat(revisions).containsPattern("web-1\\s+<none>\\s+1\\s+\\d+s");
  }

  @Test
  @Order(3)
  void getAllIncludesTheWorkloadsAndDescribeReadsEachKind() throws Exception {
    assertThat(get("get", "all")).contains("job.batch/pi", "cronjob.batch/hello", "daemonset.apps/agent",
        "statefulset.apps/web");
    assertThat(get("describe", "job", "pi")).contains("Name:", "pi", "Completions:", "Pods Statuses:");
    assertThat(get("describe", "cronjob", "hello")).contains("Schedule:", "*/1 * * * *", "Concurrency Policy:");
    assertThat(get("describe", "ds", "agent")).contains("Selector:", "app=agent");
    assertThat(get("describe", "sts", "web")).contains("Replicas:", "Volume Claims:", "www");
    assertThat(get("describe", "pvc", "data")).contains("Status:", "Pending", "StorageClass:", "local-path");
    assertThat(get("describe", "pv", "pv-1")).contains("Reclaim Policy:", "Retain", "HostPath");
    assertThat(get("describe", "sc", "local-path")).contains("IsDefaultClass:", "Yes", "rancher.io/local-path");
  }

  @Test
  @Order(4)
  void kubectlsGeneratorsAndScale() throws Exception {
    assertThat(get("create", "job", "once", "--image=" + IMAGE)).contains("job.batch/once created");
    assertThat(get("get", "job", "once", "-o", "jsonpath={.spec.template.metadata.labels.job-name}"))
        .isEqualTo("once");
    assertThat(get("create", "cronjob", "tick", "--image=" + IMAGE, "--schedule=*/5 * * * *"))
        .contains("cronjob.batch/tick created");
    assertThat(get("create", "job", "manual", "--from=cronjob/tick")).contains("job.batch/manual created");
    assertThat(get("get", "job", "manual", "-o",
        "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}")).isEqualTo("CronJob/tick");

    assertThat(get("explain", "cronjob.spec.schedule")).contains("schedule", "Cron format");
    assertThat(get("explain", "pvc.spec.accessModes")).contains("accessModes");

    assertThat(get("scale", "sts", "web", "--replicas=3")).contains("statefulset.apps/web scaled");
    assertThat(get("get", "sts", "web", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"))
        .isEqualTo("3 2");
    assertThat(get("apply", "--server-side", "--force-conflicts", "-f", write("tick-apply.yaml", """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: tick
        spec:
          schedule: "*/10 * * * *"
          suspend: true
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - name: tick
                    image: %s
        """.formatted(IMAGE)).toString())).contains("cronjob.batch/tick serverside-applied");
    assertThat(get("get", "cj", "tick", "-o", "jsonpath={.spec.schedule} {.spec.suspend}"))
        .isEqualTo("*/10 * * * * true");
  }

  @Test
  @Order(5)
  void badInputIsRefusedWithTheApiserversMessages() throws Exception {
    assertThat(rejected("bad-cron.yaml", """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: bad
        spec:
          schedule: "not a schedule"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: c
                    image: busybox
        """)).contains("The CronJob \"bad\" is invalid: spec.schedule: Invalid value: \"not a schedule\": expected "
        + "exactly 5 fields, found 3: [not a schedule]");
    assertThat(rejected("bad-job.yaml", """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: bad
        spec:
          parallelism: -1
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: c
                image: busybox
        """)).contains("The Job \"bad\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or "
        + "equal to 0");
    assertThat(rejected("bad-sts.yaml", """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: bad
        spec:
          selector:
            matchLabels: {app: db}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: c
                image: busybox
        """)).contains("The StatefulSet \"bad\" is invalid: spec.template.metadata.labels: Invalid value: "
        + "map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    assertThat(rejected("bad-pvc.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: bad
        spec:
          storageClassName: local-path
        """)).contains("The PersistentVolumeClaim \"bad\" is invalid:",
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value");

    Kubectl.Result serviceName = kubectl.run("patch", "sts", "web", "-p", "{\"spec\":{\"serviceName\":\"other\"}}");
    assertThat(serviceName.exitCode()).isNotZero();
    assertThat(serviceName.stderr()).contains("spec: Forbidden: updates to statefulset spec for fields other than "
        + "'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
        + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    Kubectl.Result image = kubectl.run("set", "image", "job/pi", "pi=other");
    assertThat(image.exitCode()).isNotZero();
    assertThat(image.stderr()).contains("spec.template: Invalid value:", "field is immutable");
  }

  @Test
  @Order(6)
  void aClaimWithoutAClassGetsTheDefaultStorageClass() throws Exception {
    get("create", "-f", write("auto-pvc.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: auto
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 100Mi
        """).toString());
    assertThat(get("get", "pvc", "auto", "-o", "jsonpath={.spec.storageClassName} {.spec.volumeMode}"))
        .isEqualTo("local-path Filesystem");
  }
}

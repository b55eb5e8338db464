package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Printers of the pod-template workloads: ReplicationController, ReplicaSet, Deployment, DaemonSet, StatefulSet and
 * Job. A missing spec.replicas is read as the API default 1.
 */
final class WorkloadPrinters {
  private WorkloadPrinters() {}

  static TablePrinter replicationController() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.integer("Desired", "Replicas is the number of desired replicas."),
        Column.integer("Current", "Replicas is the most recently observed number of replicas."),
        Column.integer("Ready", "The number of ready replicas for this replication controller."),
        Column.creationAge(),
        Column.containers(),
        Column.images(),
        Column.wide("Selector", "Selector is a label query over pods that should match the Replicas count.")),
        (object, now) -> {
          List<Object> cells = replicaCounts(object, now);
          cells.addAll(containerCells(object.path("spec").path("template").path("spec")));
          cells.add(Selectors.formatLabels(object.path("spec").get("selector")));
          return cells;
        });
  }

  static TablePrinter replicaSet() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.integer("Desired", "Replicas is the number of desired replicas."),
        Column.integer("Current", "Replicas is the most recently observed number of replicas."),
        Column.integer("Ready", "The number of ready replicas for this replica set."),
        Column.creationAge(),
        Column.containers(),
        Column.images(),
        Column.wide("Selector", "Selector is a label query over pods that should match the replica count.")),
        (object, now) -> {
          List<Object> cells = replicaCounts(object, now);
          cells.addAll(containerCells(object.path("spec").path("template").path("spec")));
          cells.add(Selectors.formatLabelSelector(object.path("spec").get("selector")));
          return cells;
        });
  }

  static TablePrinter deployment() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Ready", "Number of the pod with ready state"),
        Column.string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have "
            + "the desired template spec."),
        Column.string("Available", "Total number of available pods (ready for at least minReadySeconds) targeted "
            + "by this deployment."),
        Column.creationAge(),
        Column.containers(),
        Column.images(),
        Column.wide("Selector", "Label selector for pods.")),
        (object, now) -> {
          JsonNode status = object.path("status");
          String selector;
          try {
            selector = Selectors.selectorString(object.path("spec").get("selector"));
          } catch (IllegalArgumentException e) {
            selector = "<invalid>";
          }
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(Fields.integer(status, 0, "readyReplicas") + "/" + desiredReplicas(object));
          cells.add(Fields.integer(status, 0, "updatedReplicas"));
          cells.add(Fields.integer(status, 0, "availableReplicas"));
          cells.add(Fields.age(object, now));
          cells.addAll(containerCells(object.path("spec").path("template").path("spec")));
          cells.add(selector);
          return cells;
        });
  }

  static TablePrinter daemonSet() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.integer("Desired", "The total number of nodes that should be running the daemon pod."),
        Column.integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to "
            + "run the daemon pod."),
        Column.integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of "
            + "the daemon pod running and ready."),
        Column.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
        Column.integer("Available", "The number of nodes that should be running the daemon pod and have one or "
            + "more of the daemon pod running and available."),
        Column.string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        Column.creationAge(),
        Column.containers(),
        Column.images(),
        Column.wide("Selector", "A label query over pods that are managed by the daemon set.")),
        (object, now) -> {
          JsonNode status = object.path("status");
          JsonNode podSpec = object.path("spec").path("template").path("spec");
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(Fields.integer(status, 0, "desiredNumberScheduled"));
          cells.add(Fields.integer(status, 0, "currentNumberScheduled"));
          cells.add(Fields.integer(status, 0, "numberReady"));
          cells.add(Fields.integer(status, 0, "updatedNumberScheduled"));
          cells.add(Fields.integer(status, 0, "numberAvailable"));
          cells.add(Selectors.formatLabels(podSpec.get("nodeSelector")));
          cells.add(Fields.age(object, now));
          cells.addAll(containerCells(podSpec));
          cells.add(Selectors.formatLabelSelector(object.path("spec").get("selector")));
          return cells;
        });
  }

  static TablePrinter statefulSet() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Ready", "Number of the pod with ready state"),
        Column.creationAge(),
        Column.containers(),
        Column.images()),
        (object, now) -> {
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(Fields.integer(object, 0, "status", "readyReplicas") + "/" + desiredReplicas(object));
          cells.add(Fields.age(object, now));
          cells.addAll(containerCells(object.path("spec").path("template").path("spec")));
          return cells;
        });
  }

  static TablePrinter job() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Status", "Status of the job."),
        Column.string("Completions", "The number of pods which reached phase Succeeded."),
        Column.string("Duration", "Time required to complete the job."),
        Column.creationAge(),
        Column.containers(),
        Column.images(),
        Column.wide("Selector", "A label query over pods that should match the pod count.")),
        (object, now) -> {
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(jobStatus(object));
          cells.add(jobCompletions(object));
          cells.add(jobDuration(object, now));
          cells.add(Fields.age(object, now));
          cells.addAll(containerCells(object.path("spec").path("template").path("spec")));
          cells.add(Selectors.formatLabelSelector(object.path("spec").get("selector")));
          return cells;
        });
  }

  static TablePrinter cronJob() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        Column.string("Timezone", "The time zone name for the given schedule, see "
            + "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to "
            + "the time zone of the kube-controller-manager process. The set of valid time zone names and the time "
            + "zone offset is loaded from the system-wide time zone database by the API server during CronJob "
            + "validation and the controller manager during execution. If no system-wide time zone database can be "
            + "found a bundled version of the database is used instead. If the time zone name becomes invalid "
            + "during the lifetime of a CronJob or due to a change in host configuration, the controller will stop "
            + "creating new new Jobs and will create a system event with the reason UnknownTimeZone. More "
            + "information can be found in "
            + "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
        new Column("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions, it "
            + "does not apply to already started executions.  Defaults to false.", 0),
        Column.integer("Active", "A list of pointers to currently running jobs."),
        Column.string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        Column.creationAge(),
        Column.containers(),
        Column.images(),
        Column.wide("Selector", "A label query over pods that should match the pod count. Normally, the system sets "
            + "this field for you. More info: "
            + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")),
        (object, now) -> {
          JsonNode spec = object.path("spec");
          JsonNode jobSpec = spec.path("jobTemplate").path("spec");
          Instant lastSchedule = Fields.timestamp(object, "status", "lastScheduleTime");
          JsonNode timeZone = spec.get("timeZone");
          JsonNode suspend = spec.get("suspend");
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(Fields.text(spec, "schedule"));
          cells.add(timeZone == null || timeZone.isNull() ? "<none>" : timeZone.asText());
          // printBoolPtr
          cells.add(suspend == null || suspend.isNull() ? "<unset>" : suspend.asBoolean() ? "True" : "False");
          cells.add((long) Fields.size(object, "status", "active"));
          cells.add(lastSchedule == null ? "<none>" : HumanDuration.since(lastSchedule, now));
          cells.add(Fields.age(object, now));
          cells.addAll(containerCells(jobSpec.path("template").path("spec")));
          cells.add(Selectors.formatLabelSelector(jobSpec.get("selector")));
          return cells;
        });
  }

  static TablePrinter controllerRevision() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Controller", "Controller of the object"),
        Column.string("Revision", "Revision indicates the revision of the state represented by Data."),
        Column.creationAge()),
        (object, now) -> {
          String controller = "<none>";
          for (JsonNode reference : Fields.array(object, "metadata", "ownerReferences")) {
            if (Fields.isTrue(reference, "controller")) {
              String apiVersion = Fields.text(reference, "apiVersion");
              int slash = apiVersion.indexOf('/');
              String group = slash < 0 ? "" : apiVersion.substring(0, slash);
              String kind = Fields.text(reference, "kind");
              String groupKind = group.isEmpty() ? kind : kind + "." + group;
              controller = groupKind.isEmpty() ? Fields.text(reference, "name")
                  : groupKind.toLowerCase(Locale.ROOT) + "/" + Fields.text(reference, "name");
              break;
            }
          }
          List<Object> cells = new ArrayList<>();
          cells.add(Fields.name(object));
          cells.add(controller);
          cells.add(Fields.integer(object, 0, "revision"));
          cells.add(Fields.age(object, now));
          return cells;
        });
  }

  static String jobStatus(JsonNode job) {
    if (jobConditionIsTrue(job, "Complete")) {
      return "Complete";
    } else if (jobConditionIsTrue(job, "Failed")) {
      return "Failed";
    } else if (!Fields.text(job, "metadata", "deletionTimestamp").isEmpty()) {
      return "Terminating";
    } else if (jobConditionIsTrue(job, "Suspended")) {
      return "Suspended";
    } else if (jobConditionIsTrue(job, "FailureTarget")) {
      return "FailureTarget";
    }
    return "Running";
  }

  static String jobCompletions(JsonNode job) {
    long succeeded = Fields.integer(job, 0, "status", "succeeded");
    JsonNode completions = job.path("spec").get("completions");
    if (completions != null && completions.isNumber()) {
      return succeeded + "/" + completions.asLong();
    }
    long parallelism = Fields.integer(job, 0, "spec", "parallelism");
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  static String jobDuration(JsonNode job, Instant now) {
    Instant start = Fields.timestamp(job, "status", "startTime");
    if (start == null) {
      return "";
    }
    Instant completion = Fields.timestamp(job, "status", "completionTime");
    return HumanDuration.format(Duration.between(start, completion == null ? now : completion));
  }

  /** The first condition of the type decides (hasJobCondition). */
  private static boolean jobConditionIsTrue(JsonNode job, String type) {
    for (JsonNode condition : Fields.array(job, "status", "conditions")) {
      if (Fields.text(condition, "type").equals(type)) {
        return Fields.text(condition, "status").equals("True");
      }
    }
    return false;
  }

  /** NAME DESIRED CURRENT READY AGE of replication controllers and replica sets. */
  private static List<Object> replicaCounts(ObjectNode object, Instant now) {
    List<Object> cells = new ArrayList<>();
    cells.add(Fields.name(object));
    cells.add(desiredReplicas(object));
    cells.add(Fields.integer(object, 0, "status", "replicas"));
    cells.add(Fields.integer(object, 0, "status", "readyReplicas"));
    cells.add(Fields.age(object, now));
    return cells;
  }

  private static long desiredReplicas(JsonNode object) {
    return Fields.integer(object, 1, "spec", "replicas");
  }

  /** layoutContainerCells: container names and images, each comma-joined. */
  static List<Object> containerCells(JsonNode podSpec) {
    List<String> names = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (JsonNode container : Fields.array(podSpec, "containers")) {
      names.add(Fields.text(container, "name"));
      images.add(Fields.text(container, "image"));
    }
    return List.of(String.join(",", names), String.join(",", images));
  }
}

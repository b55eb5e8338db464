package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

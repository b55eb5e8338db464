package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Nodes as printNode: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL CONTAINER-RUNTIME. */
final class NodePrinter implements TablePrinter {
  private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
  private static final String ROLE_LABEL = "kubernetes.io/role";
  private static final List<Column> COLUMNS = List.of(
      Column.objectName(),
      Column.string("Status", "The status of the node"),
      Column.string("Roles", "The roles of the node"),
      Column.creationAge(),
      Column.string("Version", "Kubelet Version reported by the node."),
      Column.wide("Internal-IP", "List of addresses reachable to the node."),
      Column.wide("External-IP", "List of addresses reachable to the node."),
      Column.wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
      Column.wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      Column.wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API "
          + "(e.g. containerd://1.4.2)."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode node, Instant now) {
    List<Object> cells = new ArrayList<>();
    cells.add(Fields.name(node));
    cells.add(status(node));
    String roles = String.join(",", roles(node));
    cells.add(roles.isEmpty() ? "<none>" : roles);
    cells.add(Fields.age(node, now));
    cells.add(Fields.text(node, "status", "nodeInfo", "kubeletVersion"));
    cells.add(address(node, "InternalIP"));
    cells.add(address(node, "ExternalIP"));
    cells.add(orUnknown(Fields.text(node, "status", "nodeInfo", "osImage")));
    cells.add(orUnknown(Fields.text(node, "status", "nodeInfo", "kernelVersion")));
    cells.add(orUnknown(Fields.text(node, "status", "nodeInfo", "containerRuntimeVersion")));
    return cells;
  }

  /** "Ready", "NotReady" or "Unknown" (no Ready condition), plus ",SchedulingDisabled" when cordoned. */
  static String status(JsonNode node) {
    JsonNode ready = null;
    for (JsonNode condition : Fields.array(node, "status", "conditions")) {
      if (Fields.text(condition, "type").equals("Ready")) {
        ready = condition; // the last one wins, as in the printer's condition map
      }
    }
    String status;
    if (ready == null) {
      status = "Unknown";
    } else {
      status = Fields.text(ready, "status").equals("True") ? "Ready" : "NotReady";
    }
    if (Fields.isTrue(node, "spec", "unschedulable")) {
      status += ",SchedulingDisabled";
    }
    return status;
  }

  /** Sorted roles from node-role.kubernetes.io/ROLE labels and the kubernetes.io/role=ROLE label. */
  static List<String> roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    JsonNode labels = Fields.object(node, "metadata", "labels");
    if (labels != null) {
      labels.fields().forEachRemaining(entry -> {
        String key = entry.getKey();
        if (key.startsWith(ROLE_LABEL_PREFIX)) {
          String role = key.substring(ROLE_LABEL_PREFIX.length());
          if (!role.isEmpty()) {
            roles.add(role);
          }
        } else if (key.equals(ROLE_LABEL) && !entry.getValue().asText().isEmpty()) {
          roles.add(entry.getValue().asText());
        }
      });
    }
    return new ArrayList<>(roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode address : Fields.array(node, "status", "addresses")) {
      if (Fields.text(address, "type").equals(type)) {
        return Fields.text(address, "address");
      }
    }
    return "<none>";
  }

  private static String orUnknown(String value) {
    return value.isEmpty() ? "<unknown>" : value;
  }
}

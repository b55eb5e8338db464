package io.minicluster.api.fields;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.GoText;
import io.minicluster.api.ResourceType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields each resource can be selected by, as the real apiserver has them: the field label conversion functions
 * (which selector fields a version accepts, and their renames, e.g. pods' {@code spec.host} to {@code spec.nodeName}
 * or events.k8s.io's {@code regarding.name} to {@code involvedObject.name}) and the registries' selectable field
 * sets (the values of an object, e.g. pod {@code status.podIP} from {@code status.podIPs[0].ip}).
 *
 * <p>Use: {@code FieldSelector checked = FieldSets.validate(type, FieldSelector.parse(query))} once per request,
 * then {@code checked.matches(FieldSets.fieldsOf(type, object))} per object.
 */
public final class FieldSets {
  private static final String NAME = "metadata.name";
  private static final String NAMESPACE = "metadata.namespace";

  private static final Map<String, String> POD_LABELS = identity(NAME, NAMESPACE, "spec.nodeName",
      "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
      "status.podIP", "status.podIPs", "status.nominatedNodeName");
  private static final Map<String, String> NODE_LABELS = identity(NAME, "spec.unschedulable");
  private static final Map<String, String> REPLICATION_CONTROLLER_LABELS = identity(NAME, NAMESPACE,
      "status.replicas");
  private static final Map<String, String> EVENT_LABELS = identity("involvedObject.kind",
      "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
      "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
      NAMESPACE, NAME);
  private static final Map<String, String> NAMESPACE_LABELS = identity("status.phase", NAME);
  private static final Map<String, String> SECRET_LABELS = identity("type", NAMESPACE, NAME);
  private static final Map<String, String> SERVICE_LABELS = identity(NAMESPACE, NAME, "spec.clusterIP", "spec.type");
  private static final Map<String, String> EVENTS_V1_LABELS;
  private static final Map<String, String> POD_LABELS_WITH_ALIASES;

  static {
    Map<String, String> pod = new LinkedHashMap<>(POD_LABELS);
    pod.put("spec.host", "spec.nodeName"); // old v1 clients
    POD_LABELS_WITH_ALIASES = Map.copyOf(pod);
    Map<String, String> events = new LinkedHashMap<>();
    events.put("reason", "reason");
    for (String part : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
      events.put("regarding." + part, "involvedObject." + part);
    }
    events.put("reportingController", "reportingComponent");
    events.put("source", "source");
    events.put("type", "type");
    events.put(NAMESPACE, NAMESPACE);
    events.put(NAME, NAME);
    EVENTS_V1_LABELS = Map.copyOf(events);
  }

  private FieldSets() {}

  private static Map<String, String> identity(String... labels) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String label : labels) {
      result.put(label, label);
    }
    return Map.copyOf(result);
  }

  /**
   * The field label conversion of a type: accepted selector field to the field name of {@link #fieldsOf}; null when
   * the type has none registered (then only metadata.name and metadata.namespace are accepted).
   */
  private static Map<String, String> conversion(ResourceType type) {
    String group = type.group();
    String kind = type.kind();
    if (group.equals("events.k8s.io") && kind.equals("Event")) {
      return EVENTS_V1_LABELS;
    }
    if (!group.isEmpty()) {
      return null;
    }
    return switch (kind) {
      case "Pod" -> POD_LABELS_WITH_ALIASES;
      case "Node" -> NODE_LABELS;
      case "ReplicationController" -> REPLICATION_CONTROLLER_LABELS;
      case "Event" -> EVENT_LABELS;
      case "Namespace" -> NAMESPACE_LABELS;
      case "Secret" -> SECRET_LABELS;
      case "Service" -> SERVICE_LABELS;
      default -> null;
    };
  }

  /** The selector fields a type accepts (before conversion), e.g. "spec.nodeName" for pods. */
  public static Set<String> supportedFields(ResourceType type) {
    requireNonNull(type, "type is null");
    Map<String, String> conversion = conversion(type);
    return conversion == null ? Set.of(NAME, NAMESPACE) : conversion.keySet();
  }

  /**
   * Checks every field of the selector against the type and converts it to the names {@link #fieldsOf} uses.
   *
   * @throws ApiException 400 BadRequest, e.g. {@code field label not supported: foo} for types with their own field
   *     list, or {@code "foo" is not a known field selector: only "metadata.name", "metadata.namespace"} for others
   */
  public static FieldSelector validate(ResourceType type, FieldSelector selector) {
    requireNonNull(type, "type is null");
    requireNonNull(selector, "selector is null");
    Map<String, String> conversion = conversion(type);
    return selector.transform(requirement -> {
      String field = requirement.field();
      if (conversion == null) {
        if (!field.equals(NAME) && !field.equals(NAMESPACE)) {
          throw ApiException.badRequest(GoText.quote(field) + " is not a known field selector: only "
              + GoText.quote(NAME) + ", " + GoText.quote(NAMESPACE));
        }
        return requirement;
      }
      String converted = conversion.get(field);
      if (converted == null) {
        throw ApiException.badRequest("field label not supported: " + field);
      }
      return new FieldSelector.Requirement(converted, requirement.operator(), requirement.value());
    });
  }

  /** Whether the object satisfies a selector already passed through {@link #validate}. */
  public static boolean matches(ResourceType type, FieldSelector validated, JsonNode object) {
    if (validated.isEmpty()) {
      return true;
    }
    return validated.matches(fieldsOf(type, object));
  }

  /**
   * The selectable fields of an object in wire (JSON) form, named as after {@link #validate}. Missing values are "".
   */
  public static Map<String, String> fieldsOf(ResourceType type, JsonNode object) {
    requireNonNull(type, "type is null");
    requireNonNull(object, "object is null");
    Map<String, String> fields = new HashMap<>();
    fields.put(NAME, text(object, "metadata", "name"));
    if (type.namespaced()) {
      fields.put(NAMESPACE, text(object, "metadata", "namespace"));
    }
    if (type.group().equals("events.k8s.io") && type.kind().equals("Event")) {
      eventFields(fields, object.path("regarding"), object, "reportingController",
          text(object, "deprecatedSource", "component"));
      return fields;
    }
    if (!type.group().isEmpty()) {
      return fields;
    }
    switch (type.kind()) {
      case "Pod" -> {
        fields.put("spec.nodeName", text(object, "spec", "nodeName"));
        fields.put("spec.restartPolicy", text(object, "spec", "restartPolicy"));
        fields.put("spec.schedulerName", text(object, "spec", "schedulerName"));
        fields.put("spec.serviceAccountName", text(object, "spec", "serviceAccountName"));
        fields.put("spec.hostNetwork", Boolean.toString(object.path("spec").path("hostNetwork").asBoolean(false)));
        fields.put("status.phase", text(object, "status", "phase"));
        fields.put("status.podIP", podIp(object));
        fields.put("status.nominatedNodeName", text(object, "status", "nominatedNodeName"));
      }
      case "Node" -> fields.put("spec.unschedulable",
          Boolean.toString(object.path("spec").path("unschedulable").asBoolean(false)));
      case "Namespace" -> fields.put("status.phase", text(object, "status", "phase"));
      case "Secret" -> fields.put("type", text(object, "type"));
      case "Service" -> {
        fields.put("spec.clusterIP", text(object, "spec", "clusterIP"));
        fields.put("spec.type", text(object, "spec", "type"));
      }
      case "ReplicationController" -> fields.put("status.replicas",
          Long.toString(object.path("status").path("replicas").asLong(0)));
      case "Event" -> eventFields(fields, object.path("involvedObject"), object, "reportingComponent",
          text(object, "source", "component"));
      default -> {
        // metadata only
      }
    }
    return fields;
  }

  private static void eventFields(Map<String, String> fields, JsonNode involved, JsonNode event,
      String reportingField, String source) {
    for (String part : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
      fields.put("involvedObject." + part, text(involved, part));
    }
    fields.put("reason", text(event, "reason"));
    fields.put("reportingComponent", text(event, reportingField));
    fields.put("source", source);
    fields.put("type", text(event, "type"));
  }

  /** The primary pod IP: status.podIPs[0].ip, else status.podIP (the v1 conversion fills one from the other). */
  private static String podIp(JsonNode pod) {
    JsonNode podIps = pod.path("status").path("podIPs");
    if (podIps.isArray() && podIps.size() > 0) {
      return text(podIps.get(0), "ip");
    }
    return text(pod, "status", "podIP");
  }

  private static String text(JsonNode node, String... path) {
    JsonNode current = node;
    for (String name : path) {
      if (current == null || !current.isObject()) {
        return "";
      }
      current = current.get(name);
    }
    return current == null || current.isNull() || current.isContainerNode() ? "" : current.asText();
  }
}

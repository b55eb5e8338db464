package io.minicluster.apiserver.protobuf;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;
import io.minicluster.api.ApiException;
import io.minicluster.apiserver.schema.ApiDescriptors;
import io.minicluster.apiserver.schema.Schemas;
import io.minicluster.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies into the JSON a Go client would have sent for the
 * same object.
 *
 * <p>Wire format: the magic {@code k8s\0}, then a {@code runtime.Unknown} whose typeMeta names the kind and whose raw
 * bytes are the object's message (upstream {@code generated.proto} numbering).
 *
 * <p>How Go's zero values are rendered. Go's protobuf marshaller writes every non-pointer scalar and struct field,
 * pointer fields only when non-nil, and slices and maps only when non-empty; encoding/json then drops empty values
 * of {@code omitempty} fields, but never drops structs. This codec therefore:
 * <ul>
 *   <li>emits every present nested message, even empty ({@code "resources":{}}, {@code "status":{}}), as Go does;
 *   <li>omits a zero Time (an empty Time message), as Go 1.24+ clients do for {@code omitzero} fields such as
 *       {@code metadata.creationTimestamp} (older clients wrote {@code null}, which means the same);
 *   <li>omits present empty strings (Go would emit {@code ""} only for non-omitempty fields, which reads the same);
 *   <li>emits present zero numbers and {@code false}: presence means the Go pointer was non-nil (e.g.
 *       {@code replicas: 0}), or the field has no omitempty (e.g. {@code containerPort}); the exception is a
 *       table of well-known non-pointer omitempty fields ({@link #OMIT_WHEN_ZERO}, e.g. {@code hostPort},
 *       {@code tty}, {@code minReadySeconds}) which Go leaves out when zero;
 *   <li>emits maps with sorted keys (as encoding/json) and bytes as base64.
 * </ul>
 * Fields newer than the shipped descriptors arrive as unknown protobuf fields and are dropped (logged).
 */
public final class ProtobufCodec {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufCodec.class);
  private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";

  /** The 4-byte prefix of Kubernetes protobuf payloads: "k8s\0". */
  public static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  /** Go Time.IsZero() in Unix seconds, should a client ever write it explicitly. */
  private static final long GO_ZERO_TIME_SECONDS = -62135596800L;

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  /** Non-pointer Go scalar fields tagged omitempty: Go's JSON leaves them out when zero/false. */
  static final Set<String> OMIT_WHEN_ZERO = Set.of(
      "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.generation",
      "k8s.io.api.core.v1.Container.stdin",
      "k8s.io.api.core.v1.Container.stdinOnce",
      "k8s.io.api.core.v1.Container.tty",
      "k8s.io.api.core.v1.EphemeralContainerCommon.stdin",
      "k8s.io.api.core.v1.EphemeralContainerCommon.stdinOnce",
      "k8s.io.api.core.v1.EphemeralContainerCommon.tty",
      "k8s.io.api.core.v1.ContainerPort.hostPort",
      "k8s.io.api.core.v1.PodSpec.hostNetwork",
      "k8s.io.api.core.v1.PodSpec.hostPID",
      "k8s.io.api.core.v1.PodSpec.hostIPC",
      "k8s.io.api.core.v1.ServicePort.nodePort",
      "k8s.io.api.core.v1.ServiceSpec.publishNotReadyAddresses",
      "k8s.io.api.core.v1.ServiceSpec.healthCheckNodePort",
      "k8s.io.api.core.v1.VolumeMount.readOnly",
      "k8s.io.api.core.v1.Probe.initialDelaySeconds",
      "k8s.io.api.core.v1.Probe.timeoutSeconds",
      "k8s.io.api.core.v1.Probe.periodSeconds",
      "k8s.io.api.core.v1.Probe.successThreshold",
      "k8s.io.api.core.v1.Probe.failureThreshold",
      "k8s.io.api.core.v1.NodeSpec.unschedulable",
      "k8s.io.api.core.v1.PodStatus.observedGeneration",
      "k8s.io.api.apps.v1.DeploymentSpec.minReadySeconds",
      "k8s.io.api.apps.v1.DeploymentSpec.paused",
      "k8s.io.api.apps.v1.ReplicaSetSpec.minReadySeconds",
      "k8s.io.api.apps.v1.StatefulSetSpec.minReadySeconds",
      "k8s.io.api.apps.v1.DaemonSetSpec.minReadySeconds",
      "k8s.io.api.apps.v1.DeploymentStatus.observedGeneration",
      "k8s.io.api.apps.v1.DeploymentStatus.replicas",
      "k8s.io.api.apps.v1.DeploymentStatus.updatedReplicas",
      "k8s.io.api.apps.v1.DeploymentStatus.readyReplicas",
      "k8s.io.api.apps.v1.DeploymentStatus.availableReplicas",
      "k8s.io.api.apps.v1.DeploymentStatus.unavailableReplicas",
      "k8s.io.api.apps.v1.ReplicaSetStatus.fullyLabeledReplicas",
      "k8s.io.api.apps.v1.ReplicaSetStatus.readyReplicas",
      "k8s.io.api.apps.v1.ReplicaSetStatus.availableReplicas",
      "k8s.io.api.apps.v1.ReplicaSetStatus.observedGeneration",
      "k8s.io.api.batch.v1.JobStatus.active",
      "k8s.io.api.batch.v1.JobStatus.succeeded",
      "k8s.io.api.batch.v1.JobStatus.failed",
      "k8s.io.api.autoscaling.v1.ScaleSpec.replicas",
      "k8s.io.api.authorization.v1.SubjectAccessReviewStatus.denied");

  private ProtobufCodec() {}

  /** Whether a body starts with the Kubernetes protobuf magic. */
  public static boolean hasMagic(byte[] body) {
    return body != null && body.length >= MAGIC.length
        && Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC);
  }

  /**
   * The JSON object of an enveloped protobuf body, with {@code kind} and {@code apiVersion} from the envelope.
   *
   * @throws ApiException 400 BadRequest when the body is not an enveloped protobuf object of a known kind
   */
  public static ObjectNode decode(byte[] body) {
    requireNonNull(body, "body is null");
    if (!hasMagic(body)) {
      throw ApiException.badRequest("provided data does not appear to be a protobuf message, expected prefix "
          + Arrays.toString(MAGIC));
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("unable to decode protobuf envelope: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    if (kind.isEmpty()) {
      throw ApiException.badRequest("Object 'Kind' is missing in protobuf body");
    }
    if (!unknown.getContentType().isEmpty() && !unknown.getContentType().equals(MEDIA_TYPE)) {
      throw ApiException.badRequest("unsupported protobuf content type " + unknown.getContentType());
    }
    if (!unknown.getContentEncoding().isEmpty()) {
      throw ApiException.badRequest("unsupported protobuf content encoding " + unknown.getContentEncoding());
    }
    Descriptor descriptor = ApiDescriptors.find(apiVersion, kind).orElseThrow(() -> ApiException.badRequest(
        "no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
    DynamicMessage message;
    try {
      message = DynamicMessage.parseFrom(descriptor, unknown.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("unable to decode protobuf " + kind + ": " + e.getMessage());
    }
    ObjectNode object = Json.object();
    object.put("kind", kind);
    object.put("apiVersion", apiVersion);
    writeFields(message, object, kind);
    return object;
  }

  private static void writeFields(Message message, ObjectNode target, String path) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      LOG.debug("dropping protobuf fields {} of {} at {} (newer than the known descriptors)",
          message.getUnknownFields().asMap().keySet(), message.getDescriptorForType().getFullName(), path);
    }
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.isRepeated()) {
        if (message.getRepeatedFieldCount(field) == 0) {
          continue;
        }
      } else if (!message.hasField(field)) {
        continue;
      }
      if (Schemas.isInline(field)) {
        writeFields((Message) message.getField(field), target, path);
        continue;
      }
      String childPath = path + "." + Schemas.jsonName(field);
      JsonNode value = fieldValue(message, field, childPath);
      if (value != null && !value.isNull()) {
        target.set(Schemas.jsonName(field), value);
      }
    }
  }

  /** The JSON of a present field, or null when Go's encoding/json would leave it out. */
  private static JsonNode fieldValue(Message message, FieldDescriptor field, String path) {
    if (field.isMapField()) {
      FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Object entry : (List<?>) message.getField(field)) {
        Message entryMessage = (Message) entry;
        String key = String.valueOf(entryMessage.getField(keyField));
        sorted.put(key, element(valueField, entryMessage.getField(valueField), path + "[" + key + "]"));
      }
      ObjectNode object = Json.object();
      sorted.forEach(object::set);
      return object;
    }
    if (field.isRepeated()) {
      ArrayNode array = Json.array();
      List<?> values = (List<?>) message.getField(field);
      for (int i = 0; i < values.size(); i++) {
        array.add(element(field, values.get(i), path + "[" + i + "]"));
      }
      return array;
    }
    Object value = message.getField(field);
    switch (field.getJavaType()) {
      case STRING:
        return ((String) value).isEmpty() ? null : element(field, value, path);
      case INT:
      case LONG:
      case BOOLEAN:
      case FLOAT:
      case DOUBLE:
        if (isZero(value) && OMIT_WHEN_ZERO.contains(field.getFullName())) {
          return null;
        }
        return element(field, value, path);
      default:
        return element(field, value, path);
    }
  }

  private static boolean isZero(Object value) {
    if (value instanceof Boolean bool) {
      return !bool;
    }
    return ((Number) value).doubleValue() == 0;
  }

  /** The JSON of one value (a singular field's value, an array element or a map value). */
  private static JsonNode element(FieldDescriptor field, Object value, String path) {
    JsonNodeFactory nodes = Json.MAPPER.getNodeFactory();
    switch (field.getJavaType()) {
      case STRING:
        return nodes.textNode((String) value);
      case INT:
        return nodes.numberNode((Integer) value);
      case LONG: {
        // as the JSON parser would read it back: IntNode when it fits, so trees compare equal
        long number = (Long) value;
        return number == (int) number ? nodes.numberNode((int) number) : nodes.numberNode(number);
      }
      case BOOLEAN:
        return nodes.booleanNode((Boolean) value);
      case FLOAT:
        return nodes.numberNode((Float) value);
      case DOUBLE:
        return nodes.numberNode((Double) value);
      case BYTE_STRING:
        return nodes.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case MESSAGE:
        return message((Message) value, path);
      default:
        throw ApiException.badRequest("unsupported protobuf field " + field.getFullName());
    }
  }

  private static JsonNode message(Message message, String path) {
    Descriptor descriptor = message.getDescriptorForType();
    switch (descriptor.getFullName()) {
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
        return time(message, false);
      case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
        return time(message, true);
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration":
        return Json.MAPPER.getNodeFactory().textNode(GoDuration.format(
            (Long) message.getField(descriptor.findFieldByName("duration"))));
      case "k8s.io.apimachinery.pkg.api.resource.Quantity": {
        String text = (String) message.getField(descriptor.findFieldByName("string"));
        return Json.MAPPER.getNodeFactory().textNode(text.isEmpty() ? "0" : text);
      }
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        return intOrString(message);
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
      case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1":
        // field 1 of both: RawExtension's "raw", FieldsV1's "Raw" (the upstream proto capitalises it)
        return raw(((ByteString) message.getField(descriptor.findFieldByNumber(1))).toByteArray(), path);
      case APIEXTENSIONS + "JSON":
        // raw: the value's JSON, written as is
        return raw(((ByteString) message.getField(descriptor.findFieldByNumber(1))).toByteArray(), path);
      case APIEXTENSIONS + "JSONSchemaPropsOrArray":
      case APIEXTENSIONS + "JSONSchemaPropsOrBool":
      case APIEXTENSIONS + "JSONSchemaPropsOrStringArray":
        return union(message, path);
      default:
        break;
    }
    FieldDescriptor namedSlice = Schemas.namedSliceItems(descriptor);
    if (namedSlice != null) {
      return fieldValue(message, namedSlice, path);
    }
    ObjectNode object = Json.object();
    writeFields(message, object, path);
    return object;
  }

  /**
   * A JSONSchemaProps union as its Go MarshalJSON writes it: its list when non-empty (the schemas of an OrArray, the
   * strings of an OrStringArray), else its schema when set, else the OrBool's boolean (an OrArray or
   * OrStringArray with neither is null).
   */
  private static JsonNode union(Message message, String path) {
    Descriptor descriptor = message.getDescriptorForType();
    FieldDescriptor schema = descriptor.findFieldByName("schema");
    FieldDescriptor allows = descriptor.findFieldByName("allows");
    for (FieldDescriptor field : descriptor.getFields()) {
      if (field.isRepeated() && message.getRepeatedFieldCount(field) > 0) {
        return fieldValue(message, field, path);
      }
    }
    if (message.hasField(schema)) {
      return message((Message) message.getField(schema), path);
    }
    return allows == null ? NullNode.getInstance()
        : Json.MAPPER.getNodeFactory().booleanNode((Boolean) message.getField(allows));
  }

  private static JsonNode time(Message message, boolean micro) {
    Descriptor descriptor = message.getDescriptorForType();
    FieldDescriptor secondsField = descriptor.findFieldByName("seconds");
    FieldDescriptor nanosField = descriptor.findFieldByName("nanos");
    long seconds = (Long) message.getField(secondsField);
    int nanos = (Integer) message.getField(nanosField);
    boolean empty = !message.hasField(secondsField) && !message.hasField(nanosField);
    if (empty || (seconds == GO_ZERO_TIME_SECONDS && nanos == 0)) {
      return NullNode.getInstance();
    }
    Instant instant = Instant.ofEpochSecond(seconds, nanos);
    String text = micro ? MICRO_TIME.format(instant) : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds));
    return Json.MAPPER.getNodeFactory().textNode(text);
  }

  private static JsonNode intOrString(Message message) {
    Descriptor descriptor = message.getDescriptorForType();
    long type = (Long) message.getField(descriptor.findFieldByName("type"));
    if (type == 1) {
      return Json.MAPPER.getNodeFactory().textNode((String) message.getField(descriptor.findFieldByName("strVal")));
    }
    return Json.MAPPER.getNodeFactory().numberNode((Integer) message.getField(descriptor.findFieldByName("intVal")));
  }

  private static JsonNode raw(byte[] bytes, String path) {
    if (bytes.length == 0) {
      return NullNode.getInstance();
    }
    if (hasMagic(bytes)) {
      return decode(bytes);
    }
    try {
      return Json.parse(bytes);
    } catch (IOException e) {
      throw ApiException.badRequest("embedded object at " + path + " is neither JSON nor protobuf: "
          + e.getMessage());
    }
  }
}

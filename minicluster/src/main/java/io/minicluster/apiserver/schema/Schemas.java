package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kubernetes.client.proto.V1;
import io.minicluster.apiserver.schema.Schema.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds (once, then caches) the {@link Schema} of Kubernetes types from their protobuf descriptors.
 *
 * <p>Mapping rules: protobuf field names are the JSON names; {@code map<string,X>} is a JSON object with any key;
 * repeated is an array; the apimachinery special types (Time, MicroTime, Duration, Quantity, IntOrString) are
 * scalars; RawExtension and FieldsV1 are free-form JSON; apiextensions' JSON and JSONSchemaProps unions are any JSON
 * value (their Go types decode themselves, without strict checks); the messages of Go named slices (ExtraValue, Verbs) are
 * arrays; fields that Go embeds with {@code json:",inline"}
 * (Volume.volumeSource, Probe.handler, the LocalObjectReference of key selectors, ...) contribute their properties
 * to the enclosing object; top-level kinds get {@code apiVersion} and {@code kind}.
 */
public final class Schemas {
  private static final Set<String> INLINE_TYPES = Set.of(
      "k8s.io.api.core.v1.VolumeSource",
      "k8s.io.api.core.v1.PersistentVolumeSource",
      "k8s.io.api.core.v1.ProbeHandler",
      "k8s.io.api.core.v1.EphemeralContainerCommon",
      "k8s.io.api.core.v1.LocalObjectReference",
      "k8s.io.api.networking.v1.IngressRuleValue",
      "k8s.io.api.admissionregistration.v1.Rule",
      "k8s.io.api.admissionregistration.v1.RuleWithOperations");

  private static final Map<String, Schema> OBJECTS = new HashMap<>();
  private static final String ADMISSION_REGISTRATION = "k8s.io.api.admissionregistration.";
  private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";

  /** The apiextensions types whose Go type unmarshals any JSON value itself. */
  private static final Set<String> ANY_JSON = Set.of(APIEXTENSIONS + "JSON", APIEXTENSIONS + "JSONSchemaPropsOrArray",
      APIEXTENSIONS + "JSONSchemaPropsOrBool", APIEXTENSIONS + "JSONSchemaPropsOrStringArray");

  /**
   * JSON fields added by Kubernetes 1.31–1.35 that the shipped (1.30-era) descriptors lack, so that strict
   * validation accepts manifests using them. Protobuf bodies carrying them are still decoded without them.
   */
  private static final List<AddedField> ADDED_FIELDS = List.of(
      new AddedField("k8s.io.api.core.v1.PodSpec", "resources", () -> of(V1.ResourceRequirements.getDescriptor())),
      new AddedField("k8s.io.api.core.v1.PodSpec", "hostnameOverride", () -> Schema.primitive(Kind.STRING)),
      new AddedField("k8s.io.api.core.v1.Container", "restartPolicyRules", () -> Schema.array(freeFormObject())),
      new AddedField("k8s.io.api.core.v1.EphemeralContainerCommon", "restartPolicyRules",
          () -> Schema.array(freeFormObject())),
      new AddedField("k8s.io.api.core.v1.Lifecycle", "stopSignal", () -> Schema.primitive(Kind.STRING)),
      new AddedField("k8s.io.api.core.v1.VolumeSource", "image", Schemas::freeFormObject),
      new AddedField("k8s.io.api.core.v1.PodSecurityContext", "supplementalGroupsPolicy",
          () -> Schema.primitive(Kind.STRING)),
      new AddedField("k8s.io.api.core.v1.PodSecurityContext", "seLinuxChangePolicy",
          () -> Schema.primitive(Kind.STRING)),
      new AddedField("k8s.io.api.core.v1.EnvVarSource", "fileKeyRef", Schemas::freeFormObject),
      new AddedField("k8s.io.api.core.v1.PodStatus", "observedGeneration", () -> Schema.integer(true)),
      new AddedField("k8s.io.api.core.v1.PodCondition", "observedGeneration", () -> Schema.integer(true)),
      new AddedField("k8s.io.api.apps.v1.DeploymentStatus", "terminatingReplicas", () -> Schema.integer(false)),
      new AddedField("k8s.io.api.apps.v1.ReplicaSetStatus", "terminatingReplicas", () -> Schema.integer(false)));

  /** A JSON field of a message that the shipped descriptor lacks. */
  private record AddedField(String message, String field, Supplier<Schema> schema) {}

  private Schemas() {}

  /** The schema of apiVersion + kind, or empty when the kind has no known descriptor. */
  public static Optional<Schema> forKind(String apiVersion, String kind) {
    return ApiDescriptors.find(apiVersion, kind).map(Schemas::of);
  }

  /** The schema of a message (an object schema, or the scalar/array a special message stands for). */
  public static Schema of(Descriptor descriptor) {
    requireNonNull(descriptor, "descriptor is null");
    Schema special = special(descriptor);
    if (special != null) {
      return special;
    }
    synchronized (OBJECTS) {
      Schema existing = OBJECTS.get(descriptor.getFullName());
      if (existing != null) {
        return existing;
      }
      return build(descriptor);
    }
  }

  /**
   * Whether Go embeds this field's struct with {@code json:",inline"}: its fields appear directly in the enclosing
   * JSON object (e.g. {@code configMapKeyRef: {name, key}} where name belongs to the embedded LocalObjectReference).
   */
  public static boolean isInline(FieldDescriptor field) {
    if (field.getType() != FieldDescriptor.Type.MESSAGE || field.isRepeated()) {
      return false;
    }
    Descriptor type = field.getMessageType();
    if (!INLINE_TYPES.contains(V1beta3Descriptors.v1Name(type.getFullName()))) {
      return false;
    }
    String simple = type.getName();
    String lowerFirst = Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    return field.getName().equals(lowerFirst) || field.getName().equals("handler");
  }

  /** The Go package-qualified name of a message: "v1.PodSpec", "resource.Quantity". */
  public static String goTypeName(Descriptor descriptor) {
    String packageName = descriptor.getFile().getPackage();
    String last = packageName.substring(packageName.lastIndexOf('.') + 1);
    return last + "." + descriptor.getName();
  }

  /** The special scalar or wrapper a message stands for on the JSON wire, or null for an ordinary struct. */
  static Schema special(Descriptor descriptor) {
    switch (descriptor.getFullName()) {
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
        return Schema.primitive(Kind.TIME);
      case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
        return Schema.primitive(Kind.MICRO_TIME);
      case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration":
        return Schema.primitive(Kind.DURATION);
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return Schema.primitive(Kind.QUANTITY);
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        return Schema.primitive(Kind.INT_OR_STRING);
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
        return Schema.freeForm(descriptor.getFullName(), "runtime.RawExtension");
      case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1":
        return Schema.freeForm(descriptor.getFullName(), "v1.FieldsV1");
      default:
        break;
    }
    if (ANY_JSON.contains(descriptor.getFullName())) {
      return Schema.any(descriptor.getFullName(), goTypeName(descriptor));
    }
    FieldDescriptor items = namedSliceItems(descriptor);
    if (items != null) {
      return Schema.array(element(items));
    }
    return null;
  }

  /**
   * For a message that stands for a Go named slice ({@code type ExtraValue []string}, {@code type Verbs []string}),
   * its {@code repeated items} field; else null. Structs that merely have a single items field, such as
   * DownwardAPIProjection, are not named slices.
   */
  public static FieldDescriptor namedSliceItems(Descriptor descriptor) {
    boolean namedSlice = descriptor.getName().equals("ExtraValue")
        || descriptor.getFullName().equals("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs");
    if (!namedSlice || descriptor.getFields().size() != 1) {
      return null;
    }
    FieldDescriptor only = descriptor.getFields().get(0);
    return only.getName().equals("items") && only.isRepeated() && !only.isMapField() ? only : null;
  }

  private static Schema build(Descriptor descriptor) {
    Schema object = Schema.object(descriptor, goTypeName(descriptor));
    OBJECTS.put(descriptor.getFullName(), object);
    if (ApiDescriptors.isKind(descriptor)) {
      object.addProperty("apiVersion", Schema.primitive(Kind.STRING));
      object.addProperty("kind", Schema.primitive(Kind.STRING));
    }
    addFields(object, descriptor);
    return object;
  }

  private static Schema freeFormObject() {
    return Schema.freeForm(null, "map[string]interface {}");
  }

  /**
   * The JSON name of a field: its protobuf JSON name (the protobuf name, but where a descriptor says otherwise:
   * JSONSchemaProps' {@code $ref}, {@code x-kubernetes-list-type}, ...), and for the admissionregistration fields
   * whose generated.proto names them like the Go field ({@code Webhooks}, {@code Expression}) the lower camel case
   * Go's JSON tag writes.
   */
  public static String jsonName(FieldDescriptor field) {
    String name = field.getJsonName();
    return Character.isUpperCase(name.charAt(0))
        && field.getContainingType().getFullName().startsWith(ADMISSION_REGISTRATION)
        ? Character.toLowerCase(name.charAt(0)) + name.substring(1) : name;
  }

  private static void addFields(Schema object, Descriptor descriptor) {
    for (FieldDescriptor field : descriptor.getFields()) {
      if (isInline(field)) {
        addFields(object, field.getMessageType());
      } else {
        object.addProperty(jsonName(field), fieldSchema(field));
      }
    }
    // core/v1beta3's messages are copies of core/v1's: they get the same added fields
    String message = V1beta3Descriptors.v1Name(descriptor.getFullName());
    for (AddedField added : ADDED_FIELDS) {
      if (added.message().equals(message) && descriptor.findFieldByName(added.field()) == null) {
        object.addProperty(added.field(), added.schema().get());
      }
    }
  }

  /** The schema of a field's value, including its map or array wrapping. */
  public static Schema fieldSchema(FieldDescriptor field) {
    if (field.isMapField()) {
      FieldDescriptor value = field.getMessageType().findFieldByName("value");
      return Schema.map(element(value));
    }
    if (field.isRepeated()) {
      return Schema.array(element(field));
    }
    return element(field);
  }

  private static Schema element(FieldDescriptor field) {
    switch (field.getType()) {
      case STRING:
        return Schema.primitive(Kind.STRING);
      case BOOL:
        return Schema.primitive(Kind.BOOLEAN);
      case BYTES:
        return Schema.primitive(Kind.BYTES);
      case DOUBLE:
      case FLOAT:
        return Schema.primitive(Kind.NUMBER);
      case INT32:
      case SINT32:
      case SFIXED32:
      case UINT32:
      case FIXED32:
        return Schema.integer(false);
      case INT64:
      case SINT64:
      case SFIXED64:
      case UINT64:
      case FIXED64:
        return Schema.integer(true);
      case MESSAGE:
        return of(field.getMessageType());
      default:
        throw new IllegalStateException("unsupported protobuf field type " + field.getType() + " of "
            + field.getFullName());
    }
  }
}

package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of one Kubernetes type, derived from the protobuf descriptors of the upstream
 * {@code generated.proto} files (whose field names are the JSON field names). Object schemas may be recursive; they
 * are created by {@link Schemas} and their properties are complete once {@link Schemas} hands them out.
 */
public final class Schema {

  /** The shapes a value can take on the wire. */
  public enum Kind {
    /** A struct with known properties. */
    OBJECT,
    /** {@code map[string]X}: any key, values of {@link #items()}. */
    MAP,
    /** {@code []X} with elements of {@link #items()}. */
    ARRAY,
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    /** {@code []byte}: a base64 string. */
    BYTES,
    /** resource.Quantity: a string such as "100m" (numbers accepted). */
    QUANTITY,
    /** intstr.IntOrString: a number or a string. */
    INT_OR_STRING,
    /** metav1.Time: RFC3339 with seconds. */
    TIME,
    /** metav1.MicroTime: RFC3339 with microseconds. */
    MICRO_TIME,
    /** metav1.Duration: a Go duration string such as "1m30s". */
    DURATION,
    /** runtime.RawExtension, metav1.FieldsV1: any JSON. */
    FREE_FORM,
    /**
     * Any JSON value, with no OpenAPI type at all: apiextensions' JSON (a schema's default, example and enum values)
     * and the unions of a JSONSchemaProps with an array, a bool or a string array.
     */
    ANY
  }

  private static final Map<Kind, Schema> PRIMITIVES = primitives();

  private final Kind kind;
  private final String name;
  private final String goType;
  private final Schema items;
  private final String format;
  private final Descriptor descriptor;
  private final Map<String, Schema> properties;

  private Schema(Kind kind, String name, String goType, Schema items, String format, Descriptor descriptor) {
    this.kind = requireNonNull(kind, "kind is null");
    this.name = name;
    this.goType = requireNonNull(goType, "goType is null");
    this.items = items;
    this.format = format;
    this.descriptor = descriptor;
    this.properties = kind == Kind.OBJECT ? new LinkedHashMap<>() : Map.of();
  }

  private static Map<Kind, Schema> primitives() {
    Map<Kind, Schema> result = new EnumMap<>(Kind.class);
    result.put(Kind.STRING, new Schema(Kind.STRING, null, "string", null, null, null));
    result.put(Kind.BOOLEAN, new Schema(Kind.BOOLEAN, null, "bool", null, null, null));
    result.put(Kind.NUMBER, new Schema(Kind.NUMBER, null, "float64", null, "double", null));
    result.put(Kind.BYTES, new Schema(Kind.BYTES, null, "[]uint8", null, "byte", null));
    result.put(Kind.QUANTITY, new Schema(Kind.QUANTITY, "k8s.io.apimachinery.pkg.api.resource.Quantity",
        "resource.Quantity", null, null, null));
    result.put(Kind.INT_OR_STRING, new Schema(Kind.INT_OR_STRING, "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
        "intstr.IntOrString", null, "int-or-string", null));
    result.put(Kind.TIME, new Schema(Kind.TIME, "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "v1.Time", null,
        "date-time", null));
    result.put(Kind.MICRO_TIME, new Schema(Kind.MICRO_TIME, "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
        "v1.MicroTime", null, "date-time", null));
    result.put(Kind.DURATION, new Schema(Kind.DURATION, "k8s.io.apimachinery.pkg.apis.meta.v1.Duration",
        "v1.Duration", null, null, null));
    return result;
  }

  /** A shared schema for a kind without structure (strings, Quantity, Time, ...). */
  public static Schema primitive(Kind kind) {
    Schema schema = PRIMITIVES.get(kind);
    if (schema == null) {
      throw new IllegalArgumentException("not a primitive kind: " + kind);
    }
    return schema;
  }

  /** An integer of 32 or 64 bits. */
  public static Schema integer(boolean sixtyFourBits) {
    return new Schema(Kind.INTEGER, null, sixtyFourBits ? "int64" : "int32", null, sixtyFourBits ? "int64" : "int32",
        null);
  }

  /** Any JSON; name is the protobuf message (RawExtension, FieldsV1). */
  public static Schema freeForm(String name, String goType) {
    return new Schema(Kind.FREE_FORM, name, goType, null, null, null);
  }

  public static Schema array(Schema items) {
    requireNonNull(items, "items is null");
    return new Schema(Kind.ARRAY, null, "[]" + items.goType(), items, null, null);
  }

  public static Schema map(Schema values) {
    requireNonNull(values, "values is null");
    return new Schema(Kind.MAP, null, "map[string]" + values.goType(), values, null, null);
  }

  /** Any JSON value; name is the protobuf message (apiextensions' JSON and the JSONSchemaProps unions). */
  public static Schema any(String name, String goType) {
    requireNonNull(name, "name is null");
    return new Schema(Kind.ANY, name, goType, null, null, null);
  }

  /** An object whose properties the caller fills with {@link #addProperty} before publishing it. */
  static Schema object(Descriptor descriptor, String goType) {
    requireNonNull(descriptor, "descriptor is null");
    return new Schema(Kind.OBJECT, descriptor.getFullName(), goType, null, null, descriptor);
  }

  void addProperty(String property, Schema schema) {
    properties.put(requireNonNull(property, "property is null"), requireNonNull(schema, "schema is null"));
  }

  public Kind kind() {
    return kind;
  }

  /** Protobuf full name of an object or named special type (e.g. "k8s.io.api.core.v1.PodSpec"), else null. */
  public String name() {
    return name;
  }

  /** The Go type as encoding/json names it in errors: "v1.PodSpec", "[]v1.Container", "map[string]string". */
  public String goType() {
    return goType;
  }

  /** Element type of arrays, value type of maps, else null. */
  public Schema items() {
    return items;
  }

  /** OpenAPI format (int32, int64, byte, date-time, int-or-string), or null. */
  public String format() {
    return format;
  }

  /** The protobuf message of an object schema, else null. */
  public Descriptor descriptor() {
    return descriptor;
  }

  /** Properties of an object, in declaration order; empty for other kinds. */
  public Map<String, Schema> properties() {
    return Collections.unmodifiableMap(properties);
  }

  /** The Go struct name of an object ("PodSpec"), else null. */
  public String structName() {
    return descriptor == null ? null : descriptor.getName();
  }

  /** The OpenAPI definition name of an object or named type: "io.k8s.api.core.v1.Pod". */
  public String definitionName() {
    return name == null ? null : openApiName(name);
  }

  /**
   * "k8s.io.api.core.v1.Pod" → "io.k8s.api.core.v1.Pod" as Kubernetes names its OpenAPI definitions (the Go modules
   * k8s.io/kube-aggregator and k8s.io/apiextensions-apiserver, whose protobuf packages spell them with an
   * underscore, keep their dash).
   */
  public static String openApiName(String protobufName) {
    if (!protobufName.startsWith("k8s.io.")) {
      return protobufName;
    }
    String name = "io.k8s." + protobufName.substring("k8s.io.".length());
    for (String module : List.of("kube_aggregator", "apiextensions_apiserver")) {
      if (name.startsWith("io.k8s." + module + ".")) {
        return "io.k8s." + module.replace('_', '-') + name.substring("io.k8s.".length() + module.length());
      }
    }
    return name;
  }

  @Override
  public String toString() {
    return kind + "(" + goType + ")";
  }
}

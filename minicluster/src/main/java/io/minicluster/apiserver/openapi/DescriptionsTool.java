package io.minicluster.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.schema.Schema;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build step: writes the {@link Descriptions} resource for the definitions the API serves, from the models of the
 * official Java client (io.kubernetes:client-java-api, on the classpath of this step only). Each model carries
 * Kubernetes' documentation in swagger annotations: {@code @ApiModel(description)} on the class and
 * {@code @ApiModelProperty(value, required)} on the getter of each property, whose JSON name is the
 * {@code @SerializedName} of its field. Annotations are read by name, so this class compiles without the client.
 * The models lose the description of a property that refers to another definition; those come from the comments
 * of the protobuf fields in the sources of io.kubernetes:client-java-proto of the same release ({@link ProtoComments}).
 *
 * <p>Usage: {@code DescriptionsTool OUTPUT_FILE}. Definitions without a model (the apimachinery scalars) are left out.
 */
public final class DescriptionsTool {
  private static final String MODELS = "io.kubernetes.client.openapi.models.";

  private DescriptionsTool() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: DescriptionsTool OUTPUT_FILE");
    }
    ObjectNode types = Json.object();
    int missing = 0;
    Map<String, Map<String, ProtoComments.Field>> protoComments = ProtoComments.read();
    Map<String, ObjectNode> schemas = new OpenApi(ResourceTypes.ALL, Descriptions.none()).allSchemas();
    for (String definition : schemas.keySet()) {
      Optional<Class<?>> model = model(definition);
      if (model.isEmpty()) {
        missing++;
        continue;
      }
      ObjectNode type = describe(model.get());
      // the models drop the description of a property that refers to another definition: the comment of its
      // protobuf field is the same text
      ObjectNode properties = (ObjectNode) type.get("properties");
      Map<String, ProtoComments.Field> fields = protoComments.getOrDefault(definition, Map.of());
      fields.forEach((property, field) -> properties.putIfAbsent(property, TextNode.valueOf(field.comment())));
      // properties of an inlined struct (Volume's VolumeSource) are commented on that struct's fields
      for (ProtoComments.Field field : fields.values()) {
        protoComments.getOrDefault(field.type(), Map.of()).forEach((property, inlined) -> {
          if (!fields.containsKey(property)) {
            properties.putIfAbsent(property, TextNode.valueOf(inlined.comment()));
          }
        });
      }
      // only what the served schema has
      List<String> served = new ArrayList<>();
      schemas.get(definition).path("properties").fieldNames().forEachRemaining(served::add);
      properties.retain(served);
      types.set(definition, type);
    }
    if (types.isEmpty()) {
      throw new IllegalStateException("no client models found: is io.kubernetes:client-java-api on the classpath?");
    }
    Path output = Path.of(args[0]);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.write(output, Json.bytes(types));
    System.out.println("openapi descriptions: " + types.size() + " definitions documented, " + missing
        + " without a client model, written to " + output);
  }

  /**
   * The comments of the protobuf fields, as the Java sources of io.kubernetes:client-java-proto (its sources jar, on
   * the classpath of this step) carry them in the javadoc protoc writes: a {@code <pre>} block followed by the
   * field's declaration, within the code of the message named by protoc's {@code interface_extends} marker.
   */
  static final class ProtoComments {
    private static final String SOURCES = "io/kubernetes/client/proto/";
    private static final Pattern MESSAGE =
        Pattern.compile("@@protoc_insertion_point\\(interface_extends:([\\w.]+)\\)");
    private static final Pattern FIELD =
        Pattern.compile("<code>(?:(?:optional|repeated|required) )?(.+) (\\w+) = \\d+;</code>");

    /**
     * One field.
     *
     * @param comment its comment, as the API documents it
     * @param type the OpenAPI definition name of its message type, or its scalar type
     */
    record Field(String comment, String type) {}

    private ProtoComments() {}

    /** Fields by OpenAPI definition name and field name; empty without the sources on the classpath. */
    static Map<String, Map<String, Field>> read() throws IOException {
      URL anchor = DescriptionsTool.class.getClassLoader().getResource(SOURCES + "V1.java");
      if (anchor == null) {
        return Map.of();
      }
      Map<String, Map<String, Field>> comments = new HashMap<>();
      JarURLConnection connection = (JarURLConnection) anchor.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          if (entry.getName().startsWith(SOURCES) && entry.getName().endsWith(".java")) {
            try (InputStream in = jar.getInputStream(entry)) {
              parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), comments);
            }
          }
        }
      }
      return comments;
    }

    static void parse(String source, Map<String, Map<String, Field>> comments) {
      String message = null;
      List<String> pre = null;
      List<String> last = null;
      for (String line : source.split("\n")) {
        String trimmed = line.trim();
        Matcher marker = MESSAGE.matcher(trimmed);
        if (marker.find()) {
          message = Schema.openApiName(marker.group(1));
        } else if (trimmed.equals("* <pre>")) {
          pre = new ArrayList<>();
        } else if (trimmed.equals("* </pre>")) {
          last = pre;
          pre = null;
        } else if (pre != null) {
          pre.add(trimmed.equals("*") ? "" : trimmed.startsWith("* ") ? line.substring(line.indexOf("* ") + 2) : "");
        } else if (message != null && last != null) {
          Matcher field = FIELD.matcher(trimmed);
          if (field.find()) {
            String type = field.group(1).startsWith(".") ? Schema.openApiName(field.group(1).substring(1))
                : field.group(1);
            comments.computeIfAbsent(message, m -> new HashMap<>())
                .putIfAbsent(jsonName(field.group(2)), new Field(description(last), type));
            last = null;
          } else if (trimmed.equals("*/")) {
            last = null;
          }
        }
      }
    }

    /**
     * The JSON name of a protobuf field: its name, but for the extensions of JSONSchemaProps, which Go's JSON tags
     * spell with dashes ({@code xKubernetesListType} is {@code x-kubernetes-list-type}).
     */
    static String jsonName(String protobufName) {
      if (!protobufName.startsWith("xKubernetes")) {
        return protobufName;
      }
      return "x" + protobufName.substring(1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /**
     * A comment as the API documents it: up to a "---" line; marker ("+...") and TODO lines dropped; lines joined
     * with spaces, an empty line starting a new paragraph and an indented line standing on its own; the javadoc
     * escapes undone.
     */
    static String description(List<String> lines) {
      StringBuilder text = new StringBuilder();
      for (String raw : lines) {
        String line = unescape(raw).stripTrailing();
        String leading = line.stripLeading();
        if (line.equals("---")) {
          break;
        }
        if (line.isEmpty()) {
          dropLast(text);
          text.append("\n\n");
        } else if (leading.startsWith("TODO") || leading.startsWith("+")) {
          continue;
        } else if (line.startsWith(" ") || line.startsWith("\t")) {
          dropLast(text);
          text.append('\n').append(line).append('\n');
        } else {
          text.append(line).append(' ');
        }
      }
      return text.toString().replaceAll("^\n+", "").replaceAll("\n+$", "").strip();
    }

    private static void dropLast(StringBuilder text) {
      if (!text.isEmpty()) {
        text.setLength(text.length() - 1);
      }
    }

    private static String unescape(String line) {
      Matcher entity = Pattern.compile("&#(\\d+);").matcher(line);
      StringBuilder out = new StringBuilder();
      while (entity.find()) {
        entity.appendReplacement(out, Matcher.quoteReplacement(
            Character.toString(Integer.parseInt(entity.group(1)))));
      }
      entity.appendTail(out);
      return out.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
  }

  private static Optional<Class<?>> model(String definition) {
    for (String name : Descriptions.clientModelNames(definition)) {
      try {
        return Optional.of(Class.forName(MODELS + name, false, DescriptionsTool.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        // try the next name
      }
    }
    return Optional.empty();
  }

  private static ObjectNode describe(Class<?> model) {
    ObjectNode type = Json.object();
    annotation(model.getAnnotations(), "io.swagger.annotations.ApiModel")
        .map(a -> (String) value(a, "description"))
        .filter(text -> !text.isEmpty())
        .ifPresent(text -> type.put("description", text));
    Map<String, Method> getters = new LinkedHashMap<>();
    for (Method method : model.getMethods()) {
      if (method.getParameterCount() == 0 && (method.getName().startsWith("get") || method.getName().startsWith("is"))) {
        getters.put(method.getName(), method);
      }
    }
    ObjectNode properties = type.putObject("properties");
    ArrayNode required = Json.array();
    for (Field field : model.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      Optional<String> json = annotation(field.getAnnotations(), "com.google.gson.annotations.SerializedName")
          .map(a -> (String) value(a, "value"));
      Optional<Annotation> documented = getter(getters, field.getName())
          .flatMap(getter -> annotation(getter.getAnnotations(), "io.swagger.annotations.ApiModelProperty"));
      if (json.isEmpty() || documented.isEmpty()) {
        continue;
      }
      String description = (String) value(documented.get(), "value");
      if (!description.isEmpty()) {
        properties.put(json.get(), description);
      }
      if ((Boolean) value(documented.get(), "required")) {
        required.add(json.get());
      }
    }
    if (!required.isEmpty()) {
      type.set("required", required);
    }
    return type;
  }

  /** The getter of a field: get/is and the field's name without the prefix the generator adds to reserved words. */
  private static Optional<Method> getter(Map<String, Method> getters, String fieldName) {
    String name = fieldName.replaceFirst("^[_$]+", "");
    String suffix = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    Method getter = getters.get("get" + suffix);
    return Optional.ofNullable(getter != null ? getter : getters.get("is" + suffix));
  }

  private static Optional<Annotation> annotation(Annotation[] annotations, String typeName) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getName().equals(typeName)) {
        return Optional.of(annotation);
      }
    }
    return Optional.empty();
  }

  private static Object value(Annotation annotation, String element) {
    try {
      return annotation.annotationType().getMethod(element).invoke(annotation);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + element + " of " + annotation, e);
    }
  }
}

package io.minicluster.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The documentation of the API types: each definition's description, its properties' descriptions and which
 * properties are required, by OpenAPI definition name ({@code io.k8s.api.core.v1.PodSpec}).
 *
 * <p>The text is Kubernetes' own, as the official Java client (io.kubernetes:client-java-api) publishes it on its
 * generated models. The build reads it from that artifact ({@link DescriptionsTool}) into the resource {@link #RESOURCE}
 * of this jar; without the resource (a build that skipped the step) there are no descriptions.
 */
public final class Descriptions {
  /** The classpath resource the build writes. */
  public static final String RESOURCE = "/io/minicluster/apiserver/openapi/descriptions.json";

  private static final Descriptions NONE = new Descriptions(Json.object());
  private static volatile Descriptions standard;

  private final ObjectNode types;

  /**
   * @param types {@code {"io.k8s.api.core.v1.PodSpec": {"description": "...", "properties": {"containers": "..."},
   *     "required": ["containers"]}}}
   */
  Descriptions(ObjectNode types) {
    this.types = requireNonNull(types, "types is null");
  }

  /** The descriptions the build bundled, or none. */
  public static Descriptions standard() {
    Descriptions loaded = standard;
    if (loaded == null) {
      synchronized (Descriptions.class) {
        if (standard == null) {
          standard = load();
        }
        loaded = standard;
      }
    }
    return loaded;
  }

  /** No descriptions at all. */
  public static Descriptions none() {
    return NONE;
  }

  private static Descriptions load() {
    try (InputStream in = Descriptions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return NONE;
      }
      return new Descriptions(Json.parseObject(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The description of a definition. */
  public Optional<String> type(String definition) {
    return text(types.path(definition).path("description"));
  }

  /** The description of a property of a definition. */
  public Optional<String> property(String definition, String property) {
    return text(types.path(definition).path("properties").path(property));
  }

  /** The required properties of a definition, in the order documented. */
  public List<String> required(String definition) {
    List<String> required = new ArrayList<>();
    types.path(definition).path("required").forEach(name -> required.add(name.asText()));
    return required;
  }

  /** Whether any definition is documented. */
  public boolean isEmpty() {
    return types.isEmpty();
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
  }

  /**
   * The simple names the Java client gives the model of a definition, most specific first: a kind that several
   * groups define is prefixed with its group ({@code CoreV1EventSeries}, {@code EventsV1EventSeries}), others are
   * not ({@code V1PodSpec}, {@code V1ObjectMeta}).
   */
  static List<String> clientModelNames(String definition) {
    String[] parts = definition.split("\\.");
    if (parts.length < 3) {
      return List.of();
    }
    String kind = parts[parts.length - 1];
    String version = capitalize(parts[parts.length - 2]);
    List<String> names = new ArrayList<>();
    if (definition.startsWith("io.k8s.api.") && parts.length == 6) {
      names.add(capitalize(parts[3]) + version + kind);
    }
    // io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.ServiceReference: ApiregistrationV1ServiceReference,
    // io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ServiceReference: ApiextensionsV1ServiceReference
    if ((definition.startsWith("io.k8s.kube-aggregator.pkg.apis.")
        || definition.startsWith("io.k8s.apiextensions-apiserver.pkg.apis.")) && parts.length == 8) {
      names.add(capitalize(parts[parts.length - 3]) + version + kind);
    }
    names.add(version + kind);
    return names;
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}

package io.minicluster.apiextensions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Conditions;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceType.Subresource;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The read model of a CustomResourceDefinition: what the API needs to serve its resources.
 *
 * @param name metadata.name, {@code <plural>.<group>}
 * @param uid metadata.uid
 * @param group spec.group
 * @param names the names resources are served under: status.acceptedNames once accepted, else spec.names
 * @param specNames spec.names, the names asked for
 * @param namesAccepted whether status.acceptedNames is set (the names of the group the definition holds)
 * @param namespaced spec.scope Namespaced
 * @param versions spec.versions, in their order
 * @param established whether the Established condition is True
 * @param terminating whether the definition is being deleted
 * @param conversion spec.conversion
 */
public record CustomResourceDefinition(String name, String uid, String group, Names names, Names specNames,
    boolean namesAccepted, boolean namespaced, List<Version> versions, boolean established, boolean terminating,
    List<String> finalizers, Conversion conversion) {
  public static final String API_VERSION = "apiextensions.k8s.io/v1";
  public static final String KIND = "CustomResourceDefinition";
  /** The finalizer that holds a deleted definition until its custom resources are gone. */
  public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

  public CustomResourceDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(uid, "uid is null");
    requireNonNull(group, "group is null");
    requireNonNull(names, "names is null");
    requireNonNull(specNames, "specNames is null");
    versions = List.copyOf(versions);
    finalizers = List.copyOf(finalizers);
    requireNonNull(conversion, "conversion is null");
  }

  /**
   * spec.conversion: how objects change between versions.
   *
   * @param webhook whether the strategy is Webhook (else None: only the apiVersion changes)
   * @param clientConfig spec.conversion.webhook.clientConfig, null without a webhook
   * @param reviewVersions spec.conversion.webhook.conversionReviewVersions, the preferred first
   */
  public record Conversion(boolean webhook, JsonNode clientConfig, List<String> reviewVersions) {
    /** Strategy None. */
    public static final Conversion NONE = new Conversion(false, null, List.of());

    public Conversion {
      reviewVersions = List.copyOf(reviewVersions);
    }

    static Conversion of(JsonNode conversion) {
      if (!"Webhook".equals(Json.text(conversion, "strategy"))) {
        return NONE;
      }
      JsonNode webhook = conversion.path("webhook");
      return new Conversion(true, Json.get(webhook, "clientConfig"), Json.strings(webhook, "conversionReviewVersions"));
    }
  }

  /**
   * spec.names or status.acceptedNames.
   *
   * @param plural e.g. "crontabs"
   * @param singular e.g. "crontab" (defaulted to the lower-case kind)
   * @param kind e.g. "CronTab"
   * @param listKind e.g. "CronTabList"
   */
  public record Names(String plural, String singular, String kind, String listKind, List<String> shortNames,
      List<String> categories) {
    public Names {
      requireNonNull(plural, "plural is null");
      requireNonNull(singular, "singular is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(listKind, "listKind is null");
      shortNames = List.copyOf(shortNames);
      categories = List.copyOf(categories);
    }

    /** The names of a spec.names or status.acceptedNames object (missing fields are ""). */
    public static Names of(JsonNode names) {
      String kind = Json.text(names, "kind");
      String singular = Json.text(names, "singular");
      String listKind = Json.text(names, "listKind");
      return new Names(Json.text(names, "plural"), singular.isEmpty() ? kind.toLowerCase(Locale.ROOT) : singular,
          kind, listKind.isEmpty() && !kind.isEmpty() ? kind + "List" : listKind, Json.strings(names, "shortNames"),
          Json.strings(names, "categories"));
    }

    /** The object form, as status.acceptedNames. */
    public ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("plural", plural);
      node.put("singular", singular);
      if (!shortNames.isEmpty()) {
        shortNames.forEach(node.putArray("shortNames")::add);
      }
      node.put("kind", kind);
      node.put("listKind", listKind);
      if (!categories.isEmpty()) {
        categories.forEach(node.putArray("categories")::add);
      }
      return node;
    }
  }

  /**
   * One of spec.versions.
   *
   * @param schema its schema.openAPIV3Schema, or null
   * @param scale its subresources.scale, or null
   */
  public record Version(String name, boolean served, boolean storage, JsonNode schema, boolean status,
      ScalePaths scale, List<PrinterColumn> columns) {
    public Version {
      requireNonNull(name, "name is null");
      columns = List.copyOf(columns);
    }
  }

  /** A version's subresources.scale: where the replicas and the selector are. */
  public record ScalePaths(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {
    public ScalePaths {
      requireNonNull(specReplicasPath, "specReplicasPath is null");
      requireNonNull(statusReplicasPath, "statusReplicasPath is null");
    }
  }

  /** One of a version's additionalPrinterColumns. */
  public record PrinterColumn(String name, String type, String format, String description, int priority,
      String jsonPath) {
    public PrinterColumn {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
      requireNonNull(format, "format is null");
      requireNonNull(description, "description is null");
      requireNonNull(jsonPath, "jsonPath is null");
    }
  }

  /** The read model of a definition object (its served names: the accepted ones, else the spec's). */
  public static CustomResourceDefinition of(JsonNode crd) {
    requireNonNull(crd, "crd is null");
    JsonNode spec = crd.path("spec");
    JsonNode accepted = Json.at(crd, "status", "acceptedNames");
    boolean namesAccepted = accepted != null && !Json.text(accepted, "plural").isEmpty();
    Names names = Names.of(namesAccepted ? accepted : spec.path("names"));
    List<Version> versions = new ArrayList<>();
    for (JsonNode version : Json.elements(spec, "versions")) {
      JsonNode subresources = version.path("subresources");
      JsonNode scale = subresources.get("scale");
      List<PrinterColumn> columns = new ArrayList<>();
      for (JsonNode column : Json.elements(version, "additionalPrinterColumns")) {
        columns.add(new PrinterColumn(Json.text(column, "name"), Json.text(column, "type"),
            Json.text(column, "format"), Json.text(column, "description"), (int) Json.number(column, "priority", 0),
            Json.text(column, "jsonPath")));
      }
      versions.add(new Version(Json.text(version, "name"), Json.bool(version, "served"),
          Json.bool(version, "storage"), Json.at(version, "schema", "openAPIV3Schema"),
          subresources.has("status"),
          scale == null || !scale.isObject() ? null : new ScalePaths(Json.text(scale, "specReplicasPath"),
              Json.text(scale, "statusReplicasPath"), Json.textOrNull(scale, "labelSelectorPath")),
          columns));
    }
    JsonNode established = Conditions.get(crd.path("status"), "Established");
    return new CustomResourceDefinition(Json.text(crd.path("metadata"), "name"),
        Json.text(crd.path("metadata"), "uid"), Json.text(spec, "group"), names, Names.of(spec.path("names")),
        namesAccepted, "Namespaced".equals(Json.text(spec, "scope")), versions,
        established != null && "True".equals(Json.text(established, "status")),
        Json.at(crd, "metadata", "deletionTimestamp") != null, Json.strings(crd.path("metadata"), "finalizers"),
        Conversion.of(spec.path("conversion")));
  }

  /** How consumers read definitions from the informers. */
  public static final Kind<CustomResourceDefinition> READ_MODEL =
      new Kind<>(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, CustomResourceDefinition::of);

  /** The version marked storage (a valid definition has exactly one). */
  public Optional<Version> storageVersion() {
    return versions.stream().filter(Version::storage).findFirst();
  }

  /** The version of this name, if the definition has it. */
  public Optional<Version> version(String versionName) {
    return versions.stream().filter(v -> v.name().equals(versionName)).findFirst();
  }

  /** The resource type of one version of the definition. */
  public ResourceType type(Version version) {
    List<Subresource> subresources = new ArrayList<>();
    if (version.status()) {
      subresources.add(new Subresource("status", group, version.name(), names.kind(),
          List.of("get", "patch", "update")));
    }
    if (version.scale() != null) {
      subresources.add(new Subresource("scale", "autoscaling", "v1", "Scale", List.of("get", "patch", "update")));
    }
    return new ResourceType(group, version.name(), names.kind(), names.plural(), names.singular(), namespaced,
        names.shortNames(), names.categories(), subresources);
  }

  /** The type its objects are stored as: the storage version's. */
  public ResourceType storageType() {
    return type(storageVersion().orElseThrow(() -> new IllegalStateException(name + " has no storage version")));
  }

  /**
   * The storage type while the definition's resources are served (established, with a storage version), as the
   * apiserver, the namespace controller and the garbage collector see them; empty otherwise.
   */
  public Optional<ResourceType> servedStorageType() {
    return established() ? storageVersion().map(this::type) : Optional.empty();
  }

  /** The types of the served versions, in the order of spec.versions. */
  public List<ResourceType> servedTypes() {
    return versions.stream().filter(Version::served).map(this::type).toList();
  }
}

package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Discovery documents, legacy (APIVersions, APIGroupList, APIResourceList) and aggregated (apidiscovery v2). */
public final class Discovery {
  public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  public static final String AGGREGATED_V2BETA1 =
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

  /** What discovery lists of the built-in types: the registries' types, then the aggregated ones (metrics.k8s.io). */
  private static final List<ResourceType> BUILT_IN =
      Stream.concat(ResourceTypes.SERVED.stream(), ResourceTypes.AGGREGATED.stream()).toList();

  private final Supplier<String> serverAddress;
  private final CustomResources customResources;
  /**
   * Rendered documents that depend only on the {@link ResourceTypes} table and the custom resources served, built on
   * first request (kubectl asks for discovery on every invocation) and dropped when the custom resources change. The
   * APIVersions document is not cached: its server address can change.
   */
  private volatile Map<String, ApiResponse> cache = new ConcurrentHashMap<>();
  private volatile Map<String, Map<String, List<ResourceType>>> groups = ResourceTypes.byGroupVersion(BUILT_IN);

  public Discovery(Supplier<String> serverAddress) {
    this(serverAddress, CustomResources.none());
  }

  /** Discovery of the built-in types and the custom resources served. */
  public Discovery(Supplier<String> serverAddress, CustomResources customResources) {
    this.serverAddress = requireNonNull(serverAddress, "serverAddress is null");
    this.customResources = requireNonNull(customResources, "customResources is null");
    customResources.addListener(this::customResourcesChanged);
    customResourcesChanged();
  }

  private synchronized void customResourcesChanged() {
    groups = ResourceTypes.byGroupVersion(Stream.concat(BUILT_IN.stream(),
        customResources.servedTypes().stream()).toList());
    cache = new ConcurrentHashMap<>();
  }

  /**
   * Every group/version these documents list, as apiVersions ("v1", "apps/v1"), in discovery order: what the
   * APIService registration mirrors.
   */
  public List<String> groupVersions() {
    List<String> result = new ArrayList<>();
    // the custom resources' groups too, as the apiserver's CRD registration controller adds their APIServices
    groups.forEach((group, versions) -> versions.keySet()
        .forEach(version -> result.add(group.isEmpty() ? version : group + "/" + version)));
    return List.copyOf(result);
  }

  /** The aggregated content type the client asked for, or null for legacy discovery. */
  public static String aggregatedType(String accept) {
    if (accept == null) {
      return null;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "");
      if (p.contains("as=APIGroupDiscoveryList") && p.contains("g=apidiscovery.k8s.io")) {
        if (p.contains("v=v2beta1")) {
          return AGGREGATED_V2BETA1;
        }
        if (p.contains("v=v2")) {
          return AGGREGATED_V2;
        }
      }
    }
    return null;
  }

  public ApiResponse api(String accept) {
    String aggregated = aggregatedType(accept);
    if (aggregated != null) {
      return cached("api " + aggregated, () -> ApiResponse.json(200, aggregatedList(true, aggregated), aggregated));
    }
    ObjectNode versions = Json.object();
    versions.put("kind", "APIVersions");
    // the core group's versions, the preferred (stored) one first
    strings(versions.putArray("versions"), List.copyOf(groups.get("").keySet()));
    ArrayNode addresses = versions.putArray("serverAddressByClientCIDRs");
    ObjectNode address = addresses.addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", serverAddress.get());
    return ApiResponse.json(200, versions);
  }

  public ApiResponse apis(String accept) {
    String aggregated = aggregatedType(accept);
    if (aggregated != null) {
      return cached("apis " + aggregated, () -> ApiResponse.json(200, aggregatedList(false, aggregated), aggregated));
    }
    return cached("apis", this::groupList);
  }

  private ApiResponse groupList() {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode array = list.putArray("groups");
    for (Map.Entry<String, Map<String, List<ResourceType>>> group : groups.entrySet()) {
      if (!group.getKey().isEmpty()) {
        array.add(group(group.getKey(), group.getValue()));
      }
    }
    return ApiResponse.json(200, list);
  }

  /**
   * The APIGroup at /apis/{name}; for an older core version ("v1beta3"), its APIResourceList: client-go's legacy
   * discovery reads the resources of every core version other than v1 at /apis/{version} (discovery_client.go
   * ServerResourcesForGroupVersion), so without that answer kubectl 1.20 finds none of them.
   */
  public ApiResponse apiGroup(String name) {
    Map<String, List<ResourceType>> versions = groups.get(name);
    if (versions == null || name.isEmpty()) {
      if (!name.equals("v1") && groups.get("").containsKey(name)) {
        return resourceList("", name);
      }
      throw ApiException.notFoundPath();
    }
    return cached("group " + name, () -> ApiResponse.json(200, group(name, versions)));
  }

  private ApiResponse cached(String key, Supplier<ApiResponse> build) {
    return cache.computeIfAbsent(key, ignored -> build.get());
  }

  private ObjectNode group(String name, Map<String, List<ResourceType>> versions) {
    ObjectNode group = Json.object();
    group.put("kind", "APIGroup");
    group.put("apiVersion", "v1");
    group.put("name", name);
    ArrayNode array = group.putArray("versions");
    String preferred = null;
    for (String version : versions.keySet()) {
      ObjectNode v = array.addObject();
      v.put("groupVersion", name + "/" + version);
      v.put("version", version);
      if (preferred == null) {
        preferred = version;
      }
    }
    ObjectNode preferredVersion = group.putObject("preferredVersion");
    preferredVersion.put("groupVersion", name + "/" + preferred);
    preferredVersion.put("version", preferred);
    return group;
  }

  public ApiResponse resourceList(String group, String version) {
    Map<String, List<ResourceType>> versions = groups.get(group);
    List<ResourceType> types = versions == null ? null : versions.get(version);
    if (types == null) {
      throw ApiException.notFoundPath();
    }
    return cached("resources " + group + "/" + version, () -> resourceList(group, version, types));
  }

  private ApiResponse resourceList(String group, String version, List<ResourceType> types) {
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType type : types) {
      ObjectNode resource = resources.addObject();
      resource.put("name", type.plural());
      resource.put("singularName", type.singular());
      resource.put("namespaced", type.namespaced());
      resource.put("kind", type.kind());
      strings(resource.putArray("verbs"), type.verbs());
      if (!type.shortNames().isEmpty()) {
        strings(resource.putArray("shortNames"), type.shortNames());
      }
      if (!type.categories().isEmpty()) {
        strings(resource.putArray("categories"), type.categories());
      }
      if (!ResourceTypes.AGGREGATED.contains(type)) {
        // an aggregated API's resources have no storage version here
        resource.put("storageVersionHash", storageVersionHash(type));
      }
      for (ResourceType.Subresource sub : type.subresources()) {
        ObjectNode s = resources.addObject();
        s.put("name", type.plural() + "/" + sub.name());
        s.put("singularName", "");
        s.put("namespaced", type.namespaced());
        if (!sub.group().equals(type.group()) || !sub.version().equals(type.version())) {
          s.put("group", sub.group());
          s.put("version", sub.version());
        }
        s.put("kind", sub.kind());
        strings(s.putArray("verbs"), sub.verbs());
      }
    }
    return ApiResponse.json(200, list);
  }

  /** The hash of the version a resource is stored in: the same for every version served of it, as upstream. */
  private String storageVersionHash(ResourceType type) {
    ResourceType stored = customResources.find(type).map(CustomResources.Served::storageType)
        .orElseGet(() -> ResourceTypes.storedVersion(type));
    String source = stored.apiVersion() + "/" + stored.kind();
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return Base64.getEncoder().encodeToString(Arrays.copyOf(digest, 8));
  }

  private ObjectNode aggregatedList(boolean core, String contentType) {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupDiscoveryList");
    list.put("apiVersion", contentType.equals(AGGREGATED_V2) ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1");
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    for (Map.Entry<String, Map<String, List<ResourceType>>> group : groups.entrySet()) {
      if (group.getKey().isEmpty() != core) {
        continue;
      }
      ObjectNode item = items.addObject();
      ObjectNode metadata = item.putObject("metadata");
      if (!core) {
        metadata.put("name", group.getKey());
      } else {
        metadata.putNull("creationTimestamp");
      }
      ArrayNode versions = item.putArray("versions");
      for (Map.Entry<String, List<ResourceType>> version : group.getValue().entrySet()) {
        ObjectNode v = versions.addObject();
        v.put("version", version.getKey());
        ArrayNode resources = v.putArray("resources");
        for (ResourceType type : version.getValue()) {
          ObjectNode r = resources.addObject();
          r.put("resource", type.plural());
          responseKind(r.putObject("responseKind"), type.group(), type.version(), type.kind());
          r.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
          r.put("singularResource", type.singular());
          strings(r.putArray("verbs"), type.verbs());
          if (!type.shortNames().isEmpty()) {
            strings(r.putArray("shortNames"), type.shortNames());
          }
          if (!type.categories().isEmpty()) {
            strings(r.putArray("categories"), type.categories());
          }
          if (!type.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (ResourceType.Subresource sub : type.subresources()) {
              ObjectNode s = subs.addObject();
              s.put("subresource", sub.name());
              responseKind(s.putObject("responseKind"), sub.group(), sub.version(), sub.kind());
              strings(s.putArray("verbs"), sub.verbs());
            }
          }
        }
        v.put("freshness", "Current");
      }
    }
    return list;
  }

  private static void responseKind(ObjectNode node, String group, String version, String kind) {
    node.put("group", group);
    node.put("version", version);
    node.put("kind", kind);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}

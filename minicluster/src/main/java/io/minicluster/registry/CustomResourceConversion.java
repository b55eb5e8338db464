package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversion between a served version of a custom resource and how its objects are stored. Objects keep the
 * version they were written in (the storage version of the day, which a definition may change since), so each is
 * converted from its own apiVersion, and one already in the wanted version is left as it is. Under strategy None only
 * the apiVersion changes (the apiserver's nopConverter); under Webhook the definition's webhook converts.
 */
final class CustomResourceConversion implements StorageConversion {
  private final ResourceType served;
  private final ResourceType stored;
  private final CustomResourceDefinition definition;
  private final CustomResourceConverter converter;

  CustomResourceConversion(ResourceType served, ResourceType stored, CustomResourceDefinition definition,
      CustomResourceConverter converter) {
    this.served = requireNonNull(served, "served is null");
    this.stored = requireNonNull(stored, "stored is null");
    this.definition = requireNonNull(definition, "definition is null");
    this.converter = requireNonNull(converter, "converter is null");
  }

  @Override
  public ResourceType storedAs(ResourceType type) {
    return stored;
  }

  @Override
  public boolean printsServedForm() {
    return true;
  }

  @Override
  public ObjectNode toStorage(ObjectNode object) {
    return convert(List.of(object), stored.apiVersion()).get(0);
  }

  @Override
  public ObjectNode fromStorage(ObjectNode object) {
    return convert(List.of(object), served.apiVersion()).get(0);
  }

  @Override
  public List<ObjectNode> fromStorage(List<ObjectNode> objects) {
    return convert(objects, served.apiVersion());
  }

  /** The objects in {@code apiVersion}: those in another version converted in one webhook call. */
  private List<ObjectNode> convert(List<ObjectNode> objects, String apiVersion) {
    List<ObjectNode> others = new ArrayList<>();
    for (ObjectNode object : objects) {
      if (!inVersion(object, apiVersion)) {
        others.add(object);
      }
    }
    if (others.isEmpty()) {
      return objects;
    }
    List<ObjectNode> converted = definition.conversion().webhook()
        ? converter.convert(definition, others, apiVersion)
        : others.stream().map(object -> withApiVersion(object, apiVersion)).toList();
    List<ObjectNode> result = new ArrayList<>(objects.size());
    int next = 0;
    for (ObjectNode object : objects) {
      result.add(inVersion(object, apiVersion) ? object : converted.get(next++));
    }
    return result;
  }

  /** Whether an object is in the version (one without apiVersion, e.g. a body before defaulting, counts as in it). */
  private static boolean inVersion(ObjectNode object, String apiVersion) {
    String own = Json.text(object, "apiVersion");
    return own.isEmpty() || own.equals(apiVersion);
  }

  private static ObjectNode withApiVersion(ObjectNode object, String apiVersion) {
    ObjectNode copy = object.objectNode();
    copy.setAll(object);
    copy.put("apiVersion", apiVersion);
    return copy;
  }
}

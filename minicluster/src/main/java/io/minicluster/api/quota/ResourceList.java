package io.minicluster.api.quota;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A v1.ResourceList (resource name to quantity) with the arithmetic of k8s.io/apiserver/pkg/quota/v1 (Add, Subtract,
 * Mask, LessThanOrEqual, RemoveZeros), sorted by name as the quota messages print it. Immutable.
 */
public record ResourceList(SortedMap<String, Quantity> quantities) {
  public static final ResourceList EMPTY = new ResourceList(new TreeMap<>());

  public ResourceList {
    quantities = Collections.unmodifiableSortedMap(new TreeMap<>(quantities));
  }

  /** The list in a field of an object ({@code spec.hard}, {@code status.used}); unparsable entries are left out. */
  public static ResourceList from(JsonNode node, String field) {
    return of(JsonValues.quantities(node, field));
  }

  public static ResourceList of(Map<String, Quantity> quantities) {
    return new ResourceList(new TreeMap<>(requireNonNull(quantities, "quantities is null")));
  }

  public static ResourceList of(String name, Quantity quantity) {
    return of(Map.of(name, quantity));
  }

  public boolean isEmpty() {
    return quantities.isEmpty();
  }

  public boolean has(String name) {
    return quantities.containsKey(name);
  }

  /** The quantity of a resource, zero when absent. */
  public Quantity get(String name) {
    return quantities.getOrDefault(name, Quantity.ZERO);
  }

  public List<String> names() {
    return List.copyOf(quantities.keySet());
  }

  /** quota.Add: the sum of each resource in either list. */
  public ResourceList add(ResourceList other) {
    Map<String, Quantity> sum = new TreeMap<>(quantities);
    other.quantities.forEach((name, quantity) -> sum.merge(name, quantity, Quantity::add));
    return of(sum);
  }

  /** quota.SubtractWithNonNegativeResult: this minus other for the resources of this list, never below zero. */
  public ResourceList subtractNonNegative(ResourceList other) {
    Map<String, Quantity> difference = new TreeMap<>();
    quantities.forEach((name, quantity) -> {
      Quantity less = quantity.subtract(other.get(name));
      difference.put(name, less.signum() < 0 ? Quantity.ZERO : less);
    });
    return of(difference);
  }

  /** quota.Mask: only the named resources. */
  public ResourceList mask(Collection<String> names) {
    return of(quantities.entrySet().stream().filter(e -> names.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** quota.RemoveZeros. */
  public ResourceList removeZeros() {
    return of(quantities.entrySet().stream().filter(e -> !e.getValue().isZero())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** The resources whose quantity is negative (quota.IsNegative). */
  public List<String> negative() {
    return quantities.entrySet().stream().filter(e -> e.getValue().signum() < 0).map(Map.Entry::getKey).toList();
  }

  /**
   * quota.LessThanOrEqual: the resources of this list above their quantity in {@code limit} (a resource the limit
   * does not name is not limited).
   */
  public List<String> exceeding(ResourceList limit) {
    return quantities.entrySet().stream()
        .filter(e -> limit.has(e.getKey()) && e.getValue().compareTo(limit.get(e.getKey())) > 0)
        .map(Map.Entry::getKey).toList();
  }

  /** The wire form: {@code {"cpu": "500m", "pods": "2"}}. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    quantities.forEach((name, quantity) -> node.put(name, quantity.toString()));
    return node;
  }

  /** prettyPrint of the quota admission: {@code name=quantity} sorted by name, joined with commas. */
  @Override
  public String toString() {
    return quantities.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}

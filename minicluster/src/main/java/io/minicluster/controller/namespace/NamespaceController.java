package io.minicluster.controller.namespace;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.api.core.Namespace;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.finalizers.Finalizers;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace controller (pkg/controller/namespace): once a namespace is being deleted, deletes every namespaced
 * object in it, reports progress in the namespace's deletion conditions, and when nothing is left removes the
 * {@code kubernetes} finalizer from {@code spec.finalizers} through the finalize subresource, after which the API
 * server removes the namespace.
 */
public final class NamespaceController implements ControllerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);
  static final String FINALIZER = "kubernetes";
  /** How long to wait before checking again while content (e.g. terminating pods) remains. */
  static final long RECHECK_MILLIS = 1000;

  private final Client client;
  private final Informer<Namespace> namespaces;
  /** The custom resources' definitions: their objects are a namespace's content too. */
  private final Informer<CustomResourceDefinition> definitions;
  private final Clock clock;

  public NamespaceController(Client client, SharedInformers informers, WorkQueue queue, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.namespaces = informers.informer(Kinds.NAMESPACES);
    this.definitions = informers.informer(CustomResourceDefinition.READ_MODEL);
    namespaces.addHandler(Handlers.enqueueing(namespace -> queue.add(namespace.metadata().name())));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(namespaces, definitions);
  }

  @Override
  public long reconcile(String name) {
    Namespace namespace = namespaces.get(null, name).orElse(null);
    if (namespace == null || !namespace.metadata().isDeleting() || !namespace.spec().finalizers().contains(FINALIZER)) {
      return 0;
    }
    List<String> deleteFailures = new ArrayList<>();
    Map<String, Integer> remaining = new LinkedHashMap<>();
    Map<String, Integer> finalizersRemaining = new LinkedHashMap<>();
    for (ResourceType type : contentTypes()) {
      if (!type.namespaced() || !type.stored()) {
        continue;
      }
      for (ObjectMeta object : contents(type, name)) {
        if (object.isDeleting()) {
          continue;
        }
        try {
          client.delete(type, name, object.name(), DeleteOptions.DEFAULT.withPreconditionUid(object.uid()));
        } catch (ApiException e) {
          if (e.code() != 404 && e.code() != 409) {
            deleteFailures.add(type.groupResource() + " " + object.name() + ": " + e.getMessage());
          }
        }
      }
      for (ObjectMeta object : contents(type, name)) {
        remaining.merge(type.groupResource(), 1, Integer::sum);
        object.finalizers().forEach(finalizer -> finalizersRemaining.merge(finalizer, 1, Integer::sum));
      }
    }
    updateConditions(name, deleteFailures, remaining, finalizersRemaining);
    if (!deleteFailures.isEmpty()) {
      throw new IllegalStateException("failed to delete content of namespace " + name + ": " + deleteFailures);
    }
    if (!remaining.isEmpty()) {
      LOG.debug("namespace {}: content remaining {}", name, remaining);
      return RECHECK_MILLIS;
    }
    try {
      client.finalizeNamespace(name, finalizers -> Finalizers.without(finalizers, FINALIZER));
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }

  /** The stored types, built-in and the custom resources of the established definitions (as discovery lists them). */
  private List<ResourceType> contentTypes() {
    List<ResourceType> types = new ArrayList<>(ResourceTypes.ALL);
    for (CustomResourceDefinition definition : definitions.list()) {
      definition.servedStorageType().ifPresent(types::add);
    }
    return types;
  }

  /** The metadata of the objects of a type in the namespace, listed live (not from a cache). */
  private List<ObjectMeta> contents(ResourceType type, String namespace) {
    return client.list(type, namespace, ListOptions.ALL).items().stream().map(ObjectMeta::of).toList();
  }

  /** Sets the NamespaceDeletion* and Namespace*Remaining conditions as namespace_condition_utils.go does. */
  private void updateConditions(String name, List<String> deleteFailures, Map<String, Integer> remaining,
      Map<String, Integer> finalizersRemaining) {
    List<Condition> desired = List.of(
        new Condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered",
            "All resources successfully discovered"),
        new Condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions",
            "All legacy kube types successfully parsed"),
        deleteFailures.isEmpty()
            ? new Condition("NamespaceDeletionContentFailure", false, "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization")
            : new Condition("NamespaceDeletionContentFailure", true, "ContentDeletionFailed",
                "Failed to delete all resource types, " + deleteFailures.size() + " remaining: "
                    + String.join(", ", deleteFailures)),
        remaining.isEmpty()
            ? new Condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed")
            : new Condition("NamespaceContentRemaining", true, "SomeResourcesRemain",
                "Some resources are remaining: " + join(remaining, "%s has %d resource instances")),
        finalizersRemaining.isEmpty()
            ? new Condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers",
                "All content-preserving finalizers finished")
            : new Condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                "Some content in the namespace has finalizers remaining: "
                    + join(finalizersRemaining, "%s in %d resource instances")));
    String now = Meta.timestamp(clock.instant());
    try {
      client.modifyStatus(ResourceTypes.NAMESPACES, null, name, current -> {
        ObjectNode status = Json.with(current, "status");
        boolean changed = false;
        for (Condition condition : desired) {
          if (!condition.sameAs(Conditions.get(status, condition.type()))) {
            Conditions.replace(status, condition.toNode(now));
            changed = true;
          }
        }
        return changed ? current : null;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  private static String join(Map<String, Integer> counts, String format) {
    List<String> parts = new ArrayList<>();
    counts.forEach((key, count) -> parts.add(String.format(format, key, count)));
    return String.join(", ", parts);
  }

  /** A namespace condition as this controller sets it. */
  private record Condition(String type, boolean status, String reason, String message) {
    String statusText() {
      return status ? "True" : "False";
    }

    /** Whether a present condition already says this (then it is kept as it is, times included). */
    boolean sameAs(JsonNode previous) {
      return previous != null && statusText().equals(Json.textOrNull(previous, "status"))
          && reason.equals(Json.textOrNull(previous, "reason")) && message.equals(Json.textOrNull(previous, "message"));
    }

    ObjectNode toNode(String now) {
      ObjectNode node = Json.object();
      node.put("type", type);
      node.put("status", statusText());
      node.put("lastTransitionTime", now);
      node.put("reason", reason);
      node.put("message", message);
      return node;
    }
  }
}

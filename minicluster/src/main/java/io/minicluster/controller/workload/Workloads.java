package io.minicluster.controller.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.LabelSelector;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.client.Client;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the controllers of pod-owning workloads (DaemonSets, StatefulSets) share: their selector, the owners a
 * child's change concerns, a pod's metadata from the template, and the status write.
 */
public final class Workloads {
  private Workloads() {}

  /** The selector; {@link Selector#nothing()} for none or an invalid one. */
  public static Selector selector(LabelSelector selector) {
    try {
      return selector == null ? Selector.nothing() : selector.toSelector();
    } catch (IllegalArgumentException e) {
      return Selector.nothing();
    }
  }

  /** Whether a selector is unset or selects everything (the controllers then do nothing). */
  public static boolean selectsAll(LabelSelector selector) {
    return selector == null || (selector.matchLabels().isEmpty() && selector.matchExpressions().isEmpty());
  }

  /**
   * Enqueues the owner of the type controlling a child, else every owner of the child's namespace whose selector
   * matches it (adoption candidates).
   */
  public static <T> void enqueueOwners(WorkQueue queue, ResourceType ownerType, ObjectMeta child,
      Function<String, List<T>> ownersIn, Function<T, ObjectMeta> metadata, Function<T, LabelSelector> selector) {
    Optional<OwnerReference> reference = child.controllerRef();
    if (reference.isPresent()) {
      if (ownerType.kind().equals(reference.get().kind())) {
        queue.add(Keys.of(child.namespace(), reference.get().name()));
      }
      return;
    }
    for (T owner : ownersIn.apply(child.namespace())) {
      if (selector(selector.apply(owner)).matches(child.labels())) {
        queue.add(Keys.of(metadata.apply(owner)));
      }
    }
  }

  /** controller.GetPodFromTemplate's metadata: the template's labels, annotations and finalizers. */
  public static void copyTemplateMetadata(JsonNode template, ObjectNode metadata) {
    for (String field : List.of("labels", "annotations", "finalizers")) {
      JsonNode value = template == null ? null : template.path("metadata").get(field);
      if (value != null && !value.isNull()) {
        metadata.set(field, value.deepCopy());
      }
    }
  }

  /** Sets a count, or removes it when zero (the omitempty status counts). */
  public static void putOrRemove(ObjectNode status, String field, int value) {
    if (value <= 0) {
      status.remove(field);
    } else {
      status.put(field, value);
    }
  }

  /**
   * Writes the owner's status as {@code fill} sets it, unless it is unchanged or the owner is gone or was replaced.
   */
  public static void writeStatus(Client client, ResourceType type, ObjectMeta owner, Consumer<ObjectNode> fill) {
    try {
      client.modifyStatus(type, owner.namespace(), owner.name(), object -> {
        if (!owner.uid().equals(Meta.uid(object))) {
          return null;
        }
        JsonNode before = object.has("status") ? object.get("status").deepCopy() : null;
        ObjectNode status = Json.with(object, "status");
        fill.accept(status);
        return status.equals(before) ? null : object;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}

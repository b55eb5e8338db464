package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The NamespaceLifecycle admission plugin: content can only be created in namespaces that exist and are not being
 * terminated, and the system namespaces cannot be deleted.
 */
public final class NamespaceLifecycle implements Admission {
  public static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

  private final Function<String, Optional<ObjectNode>> namespaces;

  /** @param namespaces looks a namespace up by name */
  public NamespaceLifecycle(Function<String, Optional<ObjectNode>> namespaces) {
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
    if (!type.namespaced()) {
      return;
    }
    String namespace = Meta.namespace(object);
    Optional<ObjectNode> found = namespaces.apply(namespace);
    if (found.isEmpty()) {
      throw ApiException.notFound(ResourceTypes.NAMESPACES, namespace);
    }
    boolean events = type.kind().equals("Event");
    if (Meta.deleting(found.get()) && !events) {
      throw ApiException.forbidden(type, Meta.name(object), "unable to create new content in namespace "
          + namespace + " because it is being terminated");
    }
  }

  @Override
  public void admitDelete(ResourceType type, ObjectNode object) {
    if (type == ResourceTypes.NAMESPACES && IMMORTAL.contains(Meta.name(object))) {
      throw ApiException.forbidden(type, Meta.name(object), "this namespace may not be deleted");
    }
  }
}

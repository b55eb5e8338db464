package io.minicluster.controller.ownership;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.api.meta.OwnerReference;
import io.minicluster.client.Client;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * controller.ControllerRefManager: among candidate children, keeps those the owner controls and still selects,
 * adopts selected orphans (after re-reading the owner live, it must exist and not be deleting) and releases
 * controlled children it no longer selects. An adopted child may also get a finalizer of the owner's controller (the
 * Job controller's job-tracking finalizer), written with the controller reference.
 *
 * @param <T> the children as the controller reads them
 */
public final class ControllerRefManager<T> {
  private final Client client;
  private final ResourceType ownerType;
  private final Kind<T> childKind;
  private final Function<? super T, ObjectMeta> metadata;
  private final String adoptionFinalizer;

  /**
   * @param childKind the children's type, and how an adopted child (as written) is read
   * @param metadata the metadata of a child
   */
  public ControllerRefManager(Client client, ResourceType ownerType, Kind<T> childKind,
      Function<? super T, ObjectMeta> metadata) {
    this(client, ownerType, childKind, metadata, null);
  }

  /** @param adoptionFinalizer a finalizer adopted children get, or null for none */
  public ControllerRefManager(Client client, ResourceType ownerType, Kind<T> childKind,
      Function<? super T, ObjectMeta> metadata, String adoptionFinalizer) {
    this.client = requireNonNull(client, "client is null");
    this.ownerType = requireNonNull(ownerType, "ownerType is null");
    this.childKind = requireNonNull(childKind, "childKind is null");
    this.metadata = requireNonNull(metadata, "metadata is null");
    this.adoptionFinalizer = adoptionFinalizer;
  }

  /** The children the owner controls after adoption and release. */
  public List<T> claim(ObjectMeta owner, Selector selector, Collection<T> candidates) {
    String uid = owner.uid();
    List<T> claimed = new ArrayList<>();
    boolean adoptionChecked = false;
    for (T child : candidates) {
      ObjectMeta childMeta = metadata.apply(child);
      Optional<OwnerReference> controllerRef = childMeta.controllerRef();
      boolean matches = selector.matches(childMeta.labels());
      if (controllerRef.isPresent()) {
        if (!uid.equals(controllerRef.get().uid())) {
          continue;
        }
        if (matches) {
          claimed.add(child);
        } else if (!owner.isDeleting()) {
          release(childMeta, uid);
        }
        continue;
      }
      if (!matches || owner.isDeleting() || childMeta.isDeleting()) {
        continue;
      }
      if (!adoptionChecked) {
        Optional<ObjectMeta> fresh = client.find(ownerType, owner.namespace(), owner.name()).map(ObjectMeta::of);
        if (fresh.isEmpty() || !uid.equals(fresh.get().uid()) || fresh.get().isDeleting()) {
          return claimed;
        }
        adoptionChecked = true;
      }
      ObjectNode adopted = adopt(childMeta, owner);
      if (adopted != null) {
        claimed.add(childKind.decode(adopted));
      }
    }
    return claimed;
  }

  private ObjectNode adopt(ObjectMeta child, ObjectMeta owner) {
    String childUid = child.uid();
    try {
      ObjectNode result = client.modify(childKind.type(), child.namespace(), child.name(), current -> {
        if (!childUid.equals(Meta.uid(current)) || OwnerReferences.controllerOf(current).isPresent()
            || Meta.deleting(current)) {
          return null;
        }
        OwnerReferences.add(current, OwnerReferences.controllerReference(ownerType, owner));
        if (adoptionFinalizer != null && !ObjectMeta.of(current).hasFinalizer(adoptionFinalizer)) {
          ObjectNode metadata = Meta.metadata(current);
          (metadata.get("finalizers") instanceof ArrayNode finalizers ? finalizers
              : metadata.putArray("finalizers")).add(adoptionFinalizer);
        }
        return current;
      });
      return OwnerReferences.ownedBy(result, owner.uid()) ? result : null;
    } catch (ApiException e) {
      if (e.code() == 404) {
        return null;
      }
      throw e;
    }
  }

  private void release(ObjectMeta child, String ownerUid) {
    String childUid = child.uid();
    try {
      client.modify(childKind.type(), child.namespace(), child.name(),
          current -> childUid.equals(Meta.uid(current)) && OwnerReferences.remove(current, ownerUid) ? current : null);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}

package io.minicluster.controller.ownership;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.labels.LabelSelector;
import io.minicluster.client.Client;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * controller.ControllerRefManager: among candidate children, keeps those the owner controls and still selects,
 * adopts selected orphans (after re-reading the owner live, it must exist and not be deleting) and releases
 * controlled children it no longer selects.
 */
public final class ControllerRefManager {
  private final Client client;
  private final ResourceType ownerType;
  private final ResourceType childType;

  public ControllerRefManager(Client client, ResourceType ownerType, ResourceType childType) {
    this.client = requireNonNull(client, "client is null");
    this.ownerType = requireNonNull(ownerType, "ownerType is null");
    this.childType = requireNonNull(childType, "childType is null");
  }

  /** The children the owner controls after adoption and release. */
  public List<ObjectNode> claim(ObjectNode owner, LabelSelector selector, Collection<ObjectNode> candidates) {
    String uid = Meta.uid(owner);
    List<ObjectNode> claimed = new ArrayList<>();
    boolean adoptionChecked = false;
    for (ObjectNode child : candidates) {
      Optional<ObjectNode> controllerRef = OwnerReferences.controllerOf(child);
      boolean matches = selector.matchesObject(child);
      if (controllerRef.isPresent()) {
        if (!uid.equals(controllerRef.get().path("uid").asText())) {
          continue;
        }
        if (matches) {
          claimed.add(child);
        } else if (!Meta.deleting(owner)) {
          release(child, uid);
        }
        continue;
      }
      if (!matches || Meta.deleting(owner) || Meta.deleting(child)) {
        continue;
      }
      if (!adoptionChecked) {
        Optional<ObjectNode> fresh = client.find(ownerType, Meta.namespace(owner), Meta.name(owner));
        if (fresh.isEmpty() || !uid.equals(Meta.uid(fresh.get())) || Meta.deleting(fresh.get())) {
          return claimed;
        }
        adoptionChecked = true;
      }
      ObjectNode adopted = adopt(child, owner);
      if (adopted != null) {
        claimed.add(adopted);
      }
    }
    return claimed;
  }

  private ObjectNode adopt(ObjectNode child, ObjectNode owner) {
    String childUid = Meta.uid(child);
    try {
      ObjectNode result = client.modify(childType, Meta.namespace(child), Meta.name(child), current -> {
        if (!childUid.equals(Meta.uid(current)) || OwnerReferences.controllerOf(current).isPresent()
            || Meta.deleting(current)) {
          return null;
        }
        OwnerReferences.add(current, OwnerReferences.controllerReference(owner));
        return current;
      });
      return OwnerReferences.ownedBy(result, Meta.uid(owner)) ? result : null;
    } catch (ApiException e) {
      if (e.code() == 404) {
        return null;
      }
      throw e;
    }
  }

  private void release(ObjectNode child, String ownerUid) {
    String childUid = Meta.uid(child);
    try {
      client.modify(childType, Meta.namespace(child), Meta.name(child),
          current -> childUid.equals(Meta.uid(current)) && OwnerReferences.remove(current, ownerUid) ? current : null);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }
}

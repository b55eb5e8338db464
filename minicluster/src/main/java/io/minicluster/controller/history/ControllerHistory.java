package io.minicluster.controller.history;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.ControllerRevision;
import io.minicluster.api.labels.Selector;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.controller.deployment.PodTemplateHash;
import io.minicluster.controller.ownership.ControllerRefManager;
import io.minicluster.controller.ownership.OwnerReferences;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ControllerRevision history of a DaemonSet or StatefulSet (pkg/controller/history and the two controllers' use
 * of it): each distinct pod template is snapshotted as a revision named {@code <parent>-<hash>}, labelled with the
 * template's labels and {@code controller-revision-hash}, owned by its parent, whose {@code data} is the patch
 * {@code kubectl rollout undo} applies: {@code {"spec":{"template":{...,"$patch":"replace"}}}}. The hash is
 * FNV-32a of the data with the collision count, as HashControllerRevision; a name taken by a revision of other data
 * raises the collision count. A template seen before (a rollback) has its old revision renumbered to the newest.
 */
public final class ControllerHistory {
  /** The revision's hash label (apps.ControllerRevisionHashLabelKey, also DefaultDaemonSetUniqueLabelKey). */
  public static final String HASH_LABEL = "controller-revision-hash";
  /** The longest name prefix a revision name keeps (ControllerRevisionName). */
  static final int MAX_PREFIX = 223;
  private static final String DIRECTIVE = "$patch";

  /** How revisions sort: by revision number, then creation, then name (history.ByRevision). */
  public static final Comparator<ControllerRevision> BY_REVISION = Comparator
      .comparingLong(ControllerRevision::revision)
      .thenComparing(revision -> revision.metadata().creationTimestamp(),
          Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(revision -> revision.metadata().name());

  /**
   * The parent's revision for its current template.
   *
   * @param collisionCount the collision count to store in the parent's status (null when never raised)
   */
  public record Snapshot(ControllerRevision revision, Integer collisionCount) {
    public Snapshot {
      requireNonNull(revision, "revision is null");
    }
  }

  private final Client client;
  private final ResourceType parentType;
  private final Informer<ControllerRevision> revisions;
  private final ControllerRefManager<ControllerRevision> claims;

  public ControllerHistory(Client client, SharedInformers informers, ResourceType parentType) {
    this.client = requireNonNull(client, "client is null");
    this.parentType = requireNonNull(parentType, "parentType is null");
    this.revisions = informers.informer(Kinds.CONTROLLER_REVISIONS);
    this.claims = new ControllerRefManager<>(client, parentType, Kinds.CONTROLLER_REVISIONS,
        ControllerRevision::metadata);
  }

  public Informer<ControllerRevision> informer() {
    return revisions;
  }

  /** The parent's revisions after adoption and release, oldest revision first. */
  public List<ControllerRevision> claim(ObjectMeta parent, Selector selector) {
    List<ControllerRevision> owned = new ArrayList<>(claims.claim(parent, selector,
        revisions.list(parent.namespace())));
    owned.sort(BY_REVISION);
    return owned;
  }

  /** The revision data of a pod template: the patch that puts the template back whole. */
  public static ObjectNode patch(JsonNode template) {
    ObjectNode copy = template instanceof ObjectNode object ? object.deepCopy() : Json.object();
    copy.put(DIRECTIVE, "replace");
    ObjectNode data = Json.object();
    data.putObject("spec").set("template", copy);
    return data;
  }

  /** The pod template a revision holds (what applying it to its parent gives). */
  public static ObjectNode template(ControllerRevision revision) {
    ObjectNode data = revision.data().isEmpty() ? Json.object() : Json.parseObject(revision.data());
    ObjectNode template = Json.at(data, "spec", "template") instanceof ObjectNode node ? node : Json.object();
    template.remove(DIRECTIVE);
    return template;
  }

  /** HashControllerRevision: FNV-32a of the data, then of the collision count, encoded as rand.SafeEncodeString. */
  public static String hash(JsonNode data, Integer collisionCount) {
    return PodTemplateHash.compute(data, collisionCount);
  }

  /** ControllerRevisionName: {@code <parent>-<hash>}, the parent's name cut to 223 characters. */
  public static String name(String parent, String hash) {
    String prefix = parent.length() > MAX_PREFIX ? parent.substring(0, MAX_PREFIX) : parent;
    return prefix + "-" + hash;
  }

  /** The hash part of a revision: its label, else its name past the parent's prefix. */
  public static String hashOf(ControllerRevision revision) {
    String label = revision.metadata().labels().get(HASH_LABEL);
    if (label != null) {
      return label;
    }
    String name = revision.metadata().name();
    return name.substring(name.lastIndexOf('-') + 1);
  }

  /** Whether a revision holds the data (compared as JSON values, as upstream compares the raw bytes). */
  public static boolean holds(ControllerRevision revision, JsonNode data) {
    return !revision.data().isEmpty() && normalized(Json.parseObject(revision.data())).equals(normalized(data));
  }

  private static JsonNode normalized(JsonNode node) {
    return Json.parseObject(Json.string(node));
  }

  /**
   * The revision of the parent's current template: the newest revision holding the data, renumbered to follow all
   * others when it is not the newest (a rollback), else a new revision numbered one past the highest.
   *
   * @param owned the parent's revisions, oldest first
   * @param collisionCount the parent's status.collisionCount
   */
  public Snapshot snapshot(ObjectMeta parent, Map<String, String> templateLabels, ObjectNode data,
      List<ControllerRevision> owned, Integer collisionCount) {
    long highest = owned.isEmpty() ? 0 : owned.get(owned.size() - 1).revision();
    ControllerRevision equal = null;
    for (ControllerRevision revision : owned) {
      if (holds(revision, data)) {
        equal = revision;
      }
    }
    if (equal != null) {
      if (equal.revision() == highest) {
        return new Snapshot(equal, collisionCount);
      }
      ObjectNode renumbered = client.modify(ResourceTypes.CONTROLLER_REVISIONS, parent.namespace(),
          equal.metadata().name(), current -> {
            current.put("revision", highest + 1);
            return current;
          });
      return new Snapshot(ControllerRevision.from(renumbered), collisionCount);
    }
    Integer count = collisionCount;
    while (true) {
      String hash = hash(data, count);
      ObjectNode revision = Json.object();
      ObjectNode metadata = revision.putObject("metadata");
      metadata.put("name", name(parent.name(), hash));
      metadata.put("namespace", parent.namespace());
      ObjectNode labels = metadata.putObject("labels");
      templateLabels.forEach(labels::put);
      labels.put(HASH_LABEL, hash);
      if (!parent.annotations().isEmpty()) {
        ObjectNode annotations = metadata.putObject("annotations");
        parent.annotations().forEach(annotations::put);
      }
      metadata.putArray("ownerReferences").add(OwnerReferences.controllerReference(parentType, parent));
      revision.set("data", data.deepCopy());
      revision.put("revision", highest + 1);
      try {
        return new Snapshot(ControllerRevision.from(client.create(ResourceTypes.CONTROLLER_REVISIONS,
            parent.namespace(), revision)), count);
      } catch (ApiException e) {
        if (e.code() != 409) {
          throw e;
        }
      }
      ObjectNode existing = client.find(ResourceTypes.CONTROLLER_REVISIONS, parent.namespace(),
          name(parent.name(), hash)).orElse(null);
      if (existing != null && holds(ControllerRevision.from(existing), data)
          && OwnerReferences.ownedBy(existing, parent.uid())) {
        return new Snapshot(ControllerRevision.from(existing), count);
      }
      count = count == null ? 1 : count + 1;
    }
  }

  /**
   * Deletes the oldest revisions not in use past the history limit (truncateHistory / cleanupHistory).
   *
   * @param owned the parent's revisions, oldest first
   * @param live the revisions in use: the current and update ones and those of existing pods
   */
  public void truncate(List<ControllerRevision> owned, Predicate<ControllerRevision> live, int limit) {
    List<ControllerRevision> old = owned.stream().filter(live.negate()).toList();
    for (ControllerRevision revision : old.subList(0, Math.max(0, old.size() - limit))) {
      client.deleteIfExists(ResourceTypes.CONTROLLER_REVISIONS, revision.metadata().namespace(),
          revision.metadata().name(), DeleteOptions.DEFAULT.withPreconditionUid(revision.metadata().uid()));
    }
  }
}

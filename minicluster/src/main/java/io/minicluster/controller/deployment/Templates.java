package io.minicluster.controller.deployment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pod templates as stored, the one thing the controller reads as trees: the pod-template-hash is computed over
 * the whole template, a ReplicaSet is new when its template equals the deployment's (EqualIgnoreHash, every field),
 * and a new ReplicaSet carries the template whole; the records model only what controllers read. Each tree is read
 * live and used only when it is the version of the record at hand (same uid, and same resourceVersion for a
 * deployment, same generation for a ReplicaSet, whose template only a spec change alters); otherwise the informer
 * has an event on its way that syncs the deployment again. A ReplicaSet's template is kept per generation.
 */
final class Templates {
  private record Kept(long generation, ObjectNode template) {}

  private final Client client;
  private final Map<String, Kept> replicaSets = new ConcurrentHashMap<>();

  Templates(Client client) {
    this.client = requireNonNull(client, "client is null");
  }

  /** The deployment's spec.template without the hash label, or null when the stored one is not the record's. */
  ObjectNode of(Deployment deployment) {
    ObjectMeta meta = deployment.metadata();
    ObjectNode object = client.find(ResourceTypes.DEPLOYMENTS, meta.namespace(), meta.name()).orElse(null);
    if (object == null || !meta.uid().equals(Meta.uid(object))
        || !meta.resourceVersion().equals(Meta.resourceVersion(object))) {
      return null;
    }
    return PodTemplateHash.withoutHash(Json.at(object, "spec", "template"));
  }

  /** The ReplicaSet's spec.template without the hash label, or null when the stored one is not the record's. */
  ObjectNode of(ReplicaSet replicaSet) {
    ObjectMeta meta = replicaSet.metadata();
    Kept kept = replicaSets.get(meta.uid());
    if (kept != null && kept.generation() == meta.generation()) {
      return kept.template();
    }
    ObjectNode object = client.find(ResourceTypes.REPLICA_SETS, meta.namespace(), meta.name()).orElse(null);
    if (object == null || !meta.uid().equals(Meta.uid(object))
        || meta.generation() != object.path("metadata").path("generation").asLong(0)) {
      return null;
    }
    ObjectNode template = PodTemplateHash.withoutHash(Json.at(object, "spec", "template"));
    replicaSets.put(meta.uid(), new Kept(meta.generation(), template));
    return template;
  }

  /** Forgets a deleted ReplicaSet's template. */
  void forget(ReplicaSet replicaSet) {
    replicaSets.remove(replicaSet.metadata().uid());
  }
}

package io.minicluster.controller.deployment;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.Deployment;
import io.minicluster.api.apps.ReplicaSet;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The pod templates as stored, the one thing the controller reads as trees: the pod-template-hash is computed over
 * the whole template, a ReplicaSet is new when its template equals the deployment's (EqualIgnoreHash, every field),
 * and a new ReplicaSet carries the template whole; the records model only what controllers read. The shared
 * informers of deployments and ReplicaSets decode each object version once into a template-only view
 * ({@link Template}: the template without the hash label and the version it is of) next to the record views; the
 * controller reads no object for its templates.
 *
 * <p>The record and template views of a type are updated one after the other by the same event: a template is used
 * only when it is of the record at hand (same uid, and same resourceVersion for a deployment, same generation for a
 * ReplicaSet, whose template only a spec change alters). When it is not, the lagging view's own event is on its way,
 * and the handler on each view ({@link #onChange}) brings the deployment back.
 */
final class Templates {
  /** A stored object's {@code spec.template} without the pod-template-hash label, and the version it is of. */
  record Template(String namespace, String name, String uid, String resourceVersion, long generation,
      ObjectNode template) {
    Template {
      requireNonNull(template, "template is null");
    }

    /** The template of a tree (a copy: the view's consumers must not modify it). */
    static Template of(ObjectNode object) {
      return new Template(Meta.namespace(object), Meta.name(object), Meta.uid(object), Meta.resourceVersion(object),
          object.path("metadata").path("generation").asLong(0),
          PodTemplateHash.withoutHash(Json.at(object, "spec", "template")));
    }
  }

  /** The deployments' templates, decoded once per version by the shared deployment informer. */
  static final Kind<Template> DEPLOYMENTS = new Kind<>(ResourceTypes.DEPLOYMENTS, Template::of);
  /** The ReplicaSets' templates, decoded once per version by the shared ReplicaSet informer. */
  static final Kind<Template> REPLICA_SETS = new Kind<>(ResourceTypes.REPLICA_SETS, Template::of);

  private final Informer<Template> deployments;
  private final Informer<Template> replicaSets;

  Templates(SharedInformers informers) {
    this.deployments = informers.informer(DEPLOYMENTS);
    this.replicaSets = informers.informer(REPLICA_SETS);
  }

  /** The template views, each to be synced before the controller's first reconcile. */
  List<Informer<?>> informers() {
    return List.of(deployments, replicaSets);
  }

  /**
   * Calls {@code deployment} with a deployment's template and {@code replicaSet} with a ReplicaSet's on each event of
   * their view (to queue the deployment concerned: the record view may have shown the change first).
   */
  void onChange(Consumer<Template> deployment, Consumer<Template> replicaSet) {
    deployments.addHandler(Handlers.enqueueing(deployment));
    replicaSets.addHandler(Handlers.enqueueing(replicaSet));
  }

  /** The deployment's spec.template without the hash label, or null when the view has not the record's version. */
  ObjectNode of(Deployment deployment) {
    ObjectMeta meta = deployment.metadata();
    return deployments.get(meta.namespace(), meta.name())
        .filter(template -> Objects.equals(template.uid(), meta.uid())
            && Objects.equals(template.resourceVersion(), meta.resourceVersion()))
        .map(Template::template)
        .orElse(null);
  }

  /** The ReplicaSet's spec.template without the hash label, or null when the view has not the record's version. */
  ObjectNode of(ReplicaSet replicaSet) {
    ObjectMeta meta = replicaSet.metadata();
    return replicaSets.get(meta.namespace(), meta.name())
        .filter(template -> Objects.equals(template.uid(), meta.uid()) && template.generation() == meta.generation())
        .map(Template::template)
        .orElse(null);
  }
}

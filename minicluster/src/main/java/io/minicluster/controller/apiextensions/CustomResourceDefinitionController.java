package io.minicluster.controller.apiextensions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Conditions;
import io.minicluster.api.GoText;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.apiextensions.CustomResourceDefinition.Names;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The controllers of apiextensions-apiserver that keep a CustomResourceDefinition's status, in one loop keyed by the
 * definition's name: the naming controller (status.acceptedNames and the NamesAccepted condition, False with the
 * conflicting name when another definition of the group has it), the establishing controller (Established once the
 * names are accepted: a single API server waits for no one) and the finalizer (a deleted definition's custom
 * resources are deleted, the Terminating condition tells how far it got, then the
 * {@value CustomResourceDefinition#CLEANUP_FINALIZER} finalizer goes).
 */
public final class CustomResourceDefinitionController implements ControllerLoop {
  private static final ResourceType CRDS = ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS;
  /** How soon a finalizing definition looks again for custom resources still being deleted (their finalizers). */
  static final long RECHECK_MILLIS = 200;

  private final Client client;
  private final Informer<CustomResourceDefinition> definitions;
  private final Clock clock;

  public CustomResourceDefinitionController(Client client, SharedInformers informers, WorkQueue queue, Clock clock) {
    this.client = requireNonNull(client, "client is null");
    this.clock = requireNonNull(clock, "clock is null");
    requireNonNull(queue, "queue is null");
    this.definitions = informers.informer(CustomResourceDefinition.READ_MODEL);
    // a change of one definition's names can free or take a name of the others of its group
    definitions.addHandler(Handlers.enqueueing(definition -> {
      queue.add(definition.name());
      for (CustomResourceDefinition other : definitions.list()) {
        if (other.group().equals(definition.group()) && !other.name().equals(definition.name())) {
          queue.add(other.name());
        }
      }
    }));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(definitions);
  }

  @Override
  public long reconcile(String name) {
    Optional<CustomResourceDefinition> found = definitions.get(null, name);
    if (found.isEmpty()) {
      return 0;
    }
    CustomResourceDefinition definition = found.get();
    if (definition.terminating()) {
      return finalize(definition);
    }
    Accepted accepted = acceptedNames(definition);
    try {
      client.modifyStatus(CRDS, null, name, crd -> {
        ObjectNode status = Json.with(crd, "status");
        if (accepted.names() != null) {
          status.set("acceptedNames", accepted.names().toJson());
        }
        String now = Meta.timestamp(clock.instant());
        Conditions.replace(status, condition(now, "NamesAccepted", accepted.conflict() == null ? "True" : "False",
            accepted.reason(), accepted.conflict() == null ? "no conflicts found" : accepted.conflict()));
        JsonNode established = Conditions.get(status, "Established");
        if (accepted.conflict() == null) {
          Conditions.replace(status, condition(now, "Established", "True", "InitialNamesAccepted",
              "the initial names have been accepted"));
        } else if (established == null || !"True".equals(Json.text(established, "status"))) {
          Conditions.replace(status, condition(now, "Established", "False", "NotAccepted",
              "not all names are accepted"));
        }
        return crd;
      });
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
    return 0;
  }

  /**
   * The names a definition may have (null: none yet), and the first conflict with the accepted names of its group's
   * others.
   */
  record Accepted(Names names, String conflict, String reason) {}

  Accepted acceptedNames(CustomResourceDefinition definition) {
    Set<String> plurals = new HashSet<>();
    Set<String> singulars = new HashSet<>();
    Set<String> shortNames = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    Set<String> listKinds = new HashSet<>();
    for (CustomResourceDefinition other : definitions.list()) {
      // only names another definition holds count (NamingConditionController's getAcceptedNamesForGroup)
      if (!other.group().equals(definition.group()) || other.name().equals(definition.name())
          || !other.namesAccepted()) {
        continue;
      }
      Names names = other.names();
      plurals.add(names.plural());
      singulars.add(names.singular());
      shortNames.addAll(names.shortNames());
      kinds.add(names.kind());
      listKinds.add(names.listKind());
    }
    Names requested = definition.specNames();
    // on a conflict the names held so far stay (none for a definition whose names were never accepted)
    Names current = definition.namesAccepted() ? definition.names() : null;
    if (plurals.contains(requested.plural()) || singulars.contains(requested.plural())) {
      return new Accepted(current, GoText.quote(requested.plural()) + " is already in use", "PluralConflict");
    }
    if (plurals.contains(requested.singular()) || singulars.contains(requested.singular())) {
      return new Accepted(current, GoText.quote(requested.singular()) + " is already in use", "SingularConflict");
    }
    for (String shortName : requested.shortNames()) {
      if (shortNames.contains(shortName) || plurals.contains(shortName) || singulars.contains(shortName)) {
        return new Accepted(current, GoText.quote(shortName) + " is already in use", "ShortNamesConflict");
      }
    }
    if (kinds.contains(requested.kind()) || listKinds.contains(requested.kind())) {
      return new Accepted(current, GoText.quote(requested.kind()) + " is already in use", "KindConflict");
    }
    if (kinds.contains(requested.listKind()) || listKinds.contains(requested.listKind())) {
      return new Accepted(current, GoText.quote(requested.listKind()) + " is already in use", "ListKindConflict");
    }
    return new Accepted(requested, null, "NoConflicts");
  }

  /** The finalizer's work on a deleted definition; returns when to look again (0: done or not ours). */
  private long finalize(CustomResourceDefinition definition) {
    if (!definition.finalizers().contains(CustomResourceDefinition.CLEANUP_FINALIZER)) {
      return 0;
    }
    String name = definition.name();
    if (definition.established() && definition.storageVersion().isPresent()) {
      terminating(name, "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress");
      ResourceType type = definition.storageType();
      List<ObjectNode> remaining;
      try {
        remaining = client.list(type, null, ListOptions.ALL).items();
      } catch (ApiException e) {
        terminating(name, "True", "InstanceDeletionFailed", "could not list instances: " + e.getMessage());
        throw e;
      }
      List<String> failures = new ArrayList<>();
      for (ObjectNode object : remaining) {
        if (Meta.deleting(object)) {
          continue;
        }
        try {
          client.delete(type, Meta.namespace(object), Meta.name(object), DeleteOptions.DEFAULT);
        } catch (ApiException e) {
          if (e.code() != 404) {
            failures.add(e.getMessage());
          }
        }
      }
      if (!failures.isEmpty()) {
        terminating(name, "True", "InstanceDeletionFailed", "could not issue all deletes: " + failures);
        return RECHECK_MILLIS;
      }
      if (!client.list(type, null, ListOptions.ALL).items().isEmpty()) {
        terminating(name, "True", "InstanceDeletionCheck",
            "could not confirm zero CustomResources remaining: timed out waiting for the condition");
        return RECHECK_MILLIS;
      }
    }
    terminating(name, "False", "InstanceDeletionCompleted", "removed all instances");
    try {
      client.modify(CRDS, null, name, crd -> {
        ObjectNode metadata = Meta.metadata(crd);
        if (metadata.get("finalizers") instanceof ArrayNode finalizers) {
          for (int i = finalizers.size() - 1; i >= 0; i--) {
            if (CustomResourceDefinition.CLEANUP_FINALIZER.equals(finalizers.get(i).asText())) {
              finalizers.remove(i);
            }
          }
        }
        return crd;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }

  private void terminating(String name, String status, String reason, String message) {
    try {
      client.modifyStatus(CRDS, null, name, crd -> {
        Conditions.replace(Json.with(crd, "status"), condition(Meta.timestamp(clock.instant()), "Terminating", status,
            reason, message));
        return crd;
      });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  private static ObjectNode condition(String now, String type, String status, String reason, String message) {
    ObjectNode condition = Json.object();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("lastTransitionTime", now);
    condition.put("reason", reason);
    condition.put("message", message);
    return condition;
  }
}

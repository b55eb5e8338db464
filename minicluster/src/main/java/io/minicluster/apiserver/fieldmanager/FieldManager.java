package io.minicluster.apiserver.fieldmanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry.UpdateKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps {@code metadata.managedFields} as the apiserver's field manager does (k8s.io/apimachinery's
 * util/managedfields over structured-merge-diff's merge.Updater): a write records the fields it changed under its
 * manager; server-side apply merges the applied configuration, owns its fields, fails on conflicts with other
 * managers unless forced, and removes the fields its manager stopped applying that nobody else owns.
 *
 * @param type the type of the kind's objects
 * @param manager the writer's field manager
 * @param apiVersion the apiVersion of the request
 * @param subresource the subresource written ("" for the resource)
 * @param scope which fields the endpoint writes (the rest is reset by the strategy and not tracked)
 * @param time the write's time (RFC 3339, seconds)
 */
public record FieldManager(FieldType type, String manager, String apiVersion, String subresource, Scope scope,
    String time) {

  /** The manager that takes the fields of an object first applied to after writes that kept no managedFields. */
  public static final String BEFORE_FIRST_APPLY = "before-first-apply";
  /** kubectl's annotation of client-side apply. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  /** The manager kubectl apply --server-side uses, whose applies upgrade client-side apply. */
  private static final String KUBECTL = "kubectl";

  static final int MAX_UPDATERS = 10;
  static final String ANCIENT_CHANGES = "ancient-changes";

  /** The fields an endpoint tracks: all, all but status (resource with a status subresource), only status. */
  public enum Scope { ALL, NOT_STATUS, ONLY_STATUS }

  /** Metadata that no manager owns (stripMeta). */
  private static final FieldSet STRIPPED = FieldSet.of(List.of(
      path("apiVersion"), path("kind"), path("metadata"), path("metadata", "name"), path("metadata", "namespace"),
      path("metadata", "creationTimestamp"), path("metadata", "selfLink"), path("metadata", "uid"),
      path("metadata", "clusterName"), path("metadata", "generation"), path("metadata", "managedFields"),
      path("metadata", "resourceVersion")));

  public FieldManager {
    requireNonNull(type, "type is null");
    requireNonNull(manager, "manager is null");
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(subresource, "subresource is null");
    requireNonNull(scope, "scope is null");
    requireNonNull(time, "time is null");
  }

  /**
   * The field manager of a non-apply write as the apiserver's handlers build it: the object's type from the stored
   * kind, the apiVersion and subresource of the request, and the fields the endpoint writes (only status on the status
   * subresource, all but status on a resource with a status subresource).
   *
   * @param served the type of the request (its apiVersion is recorded)
   * @param stored the type of the registry (its schema types the fields)
   * @param manager the writer's field manager
   * @param subresource the subresource written ("" for the resource)
   * @param kind whether the write is of the resource or of its status
   * @param now the write's time
   */
  public static FieldManager forWrite(ResourceType served, ResourceType stored, String manager, String subresource,
      UpdateKind kind, Instant now) {
    Scope scope = kind == UpdateKind.STATUS ? Scope.ONLY_STATUS
        : served.hasSubresource("status") ? Scope.NOT_STATUS : Scope.ALL;
    return new FieldManager(FieldType.forKind(stored.apiVersion(), stored.kind()), manager, served.apiVersion(),
        subresource, scope, Meta.timestamp(now));
  }

  /**
   * The name of a writer (managerOrUserAgent): its {@code fieldManager}, else its User-Agent up to the first "/"
   * without control characters, at most 128 bytes, as the apiserver names an unnamed writer.
   */
  public static String managerName(String fieldManager, String userAgent) {
    if (fieldManager != null && !fieldManager.isEmpty()) {
      return fieldManager;
    }
    String prefix = userAgent == null ? "" : userAgent.split("/", -1)[0];
    StringBuilder name = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < prefix.length(); ) {
      int codePoint = prefix.codePointAt(i);
      i += Character.charCount(codePoint);
      if (Character.isISOControl(codePoint) || !Character.isDefined(codePoint)) {
        continue;
      }
      int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + length > 128) {
        break;
      }
      bytes += length;
      name.appendCodePoint(codePoint);
    }
    return name.toString();
  }

  private static List<PathElement> path(String... names) {
    List<PathElement> path = new ArrayList<>();
    for (String name : names) {
      path.add(PathElement.field(name));
    }
    return path;
  }

  // ---------------------------------------------------------------- update

  /**
   * Records a non-apply write (create: {@code live} null) in {@code object}'s managedFields: the managedFields the
   * client sent when they decode (not on subresources), else the live object's; a list that resets them (empty, or
   * one empty entry) clears them; an update of an object without managedFields keeps none (they start again at the
   * next apply).
   */
  public void update(ObjectNode live, ObjectNode object) {
    requireNonNull(object, "object is null");
    ObjectNode metadata = Meta.metadata(object);
    JsonNode sent = metadata.get("managedFields");
    ManagedFields managed;
    if (!subresource.isEmpty() && live != null) {
      managed = decodeOrEmpty(Meta.metadata(live).get("managedFields"));
    } else if (ManagedFields.isReset(sent)) {
      managed = ManagedFields.empty();
    } else {
      managed = decodeOrEmpty(sent);
      if (managed.isEmpty() && live != null) {
        managed = decodeOrEmpty(Meta.metadata(live).get("managedFields"));
      }
    }
    if (managed.isEmpty() && live != null) {
      metadata.remove("managedFields");
      return;
    }
    ObjectNode before = live == null ? type.zeroValue() : withoutManagedFieldsView(live);
    Fields.Comparison comparison = Fields.compare(before, withoutManagedFieldsView(object), type, this::inScope);
    recordUpdate(managed, comparison, manager);
    capUpdaters(managed);
    store(object, managed);
  }

  /** Whether the endpoint writes this top-level field (the others are not compared). */
  private boolean inScope(String field) {
    return switch (scope) {
      case ALL -> true;
      case NOT_STATUS -> !field.equals("status");
      case ONLY_STATUS -> field.equals("status");
    };
  }

  /**
   * At most {@value #MAX_UPDATERS} Update entries (capManagers): the oldest beyond that are merged, per apiVersion,
   * into an {@value #ANCIENT_CHANGES} entry that takes the time of the newest entry merged into it.
   */
  static void capUpdaters(ManagedFields managed) {
    List<ManagedFields.Identity> updaters = new ArrayList<>();
    managed.entries().keySet().stream().filter(identity -> identity.operation().equals(ManagedFields.UPDATE))
        .forEach(updaters::add);
    if (updaters.size() <= MAX_UPDATERS) {
      return;
    }
    updaters.sort(Comparator.comparing((ManagedFields.Identity identity) -> {
      String time = managed.entries().get(identity).time();
      return time == null ? "" : time;
    }).thenComparing(ManagedFields.Identity::manager).thenComparing(ManagedFields.Identity::apiVersion)
        .thenComparing(ManagedFields.Identity::subresource));
    Map<String, ManagedFields.Identity> firstOfVersion = new HashMap<>();
    int length = updaters.size();
    for (int i = 0; i < updaters.size() && length > MAX_UPDATERS; i++) {
      ManagedFields.Identity updater = updaters.get(i);
      ManagedFields.Entry entry = managed.entries().get(updater);
      String version = entry.apiVersion();
      ManagedFields.Identity bucket = ManagedFields.Identity.of(ANCIENT_CHANGES, ManagedFields.UPDATE, version, "");
      ManagedFields.Identity first = firstOfVersion.putIfAbsent(version, updater);
      if (first == null) {
        continue;
      }
      if (!managed.entries().containsKey(bucket)) {
        managed.entries().put(bucket, managed.entries().remove(first));
      }
      FieldSet merged = entry.fields().union(managed.entries().get(bucket).fields());
      managed.entries().remove(updater);
      managed.entries().put(bucket, new ManagedFields.Entry(merged, version, entry.time()));
      length--;
    }
  }

  private void recordUpdate(ManagedFields managed, Fields.Comparison comparison, String writer) {
    FieldSet changed = comparison.changed().difference(STRIPPED);
    takeFromOthers(managed, null, changed, comparison.removed());
    if (!changed.isEmpty()) {
      ManagedFields.Identity identity = ManagedFields.Identity.of(writer, ManagedFields.UPDATE, apiVersion,
          subresource);
      ManagedFields.Entry previous = managed.entries().get(identity);
      FieldSet fields = previous == null ? changed : changed.union(previous.fields());
      managed.entries().put(identity, new ManagedFields.Entry(fields, apiVersion, time));
    }
  }

  /** Every manager but {@code except} loses the changed fields; every manager loses the removed ones. */
  private static void takeFromOthers(ManagedFields managed, ManagedFields.Identity except, FieldSet changed,
      FieldSet removed) {
    managed.entries().replaceAll((identity, entry) -> identity.equals(except) ? entry
        : new ManagedFields.Entry(entry.fields().difference(changed).difference(removed), entry.apiVersion(),
            entry.time()));
    managed.entries().values().removeIf(entry -> entry.fields().isEmpty());
  }

  // ---------------------------------------------------------------- apply

  /**
   * Server-side apply of a configuration to the live object (null: the object is created by the apply).
   *
   * @return the new object with its managedFields
   * @throws ApiException 409 with the apiserver's message and FieldManagerConflict causes when the apply changes
   *     fields other managers own and is not forced; 500 when the live managedFields do not decode
   */
  public ObjectNode apply(ObjectNode live, ObjectNode config, boolean force) {
    requireNonNull(config, "config is null");
    ManagedFields managed;
    try {
      managed = live == null ? ManagedFields.empty() : ManagedFields.decode(Meta.metadata(live).get("managedFields"));
    } catch (IllegalArgumentException e) {
      throw ApiException.internal("failed to decode managed fields: " + e.getMessage());
    }
    ObjectNode liveView = live == null ? type.zeroValue() : withoutManagedFields(live);
    if (managed.isEmpty() && live != null) {
      recordUpdate(managed, scoped(Fields.compare(type.zeroValue(), liveView, type)), BEFORE_FIRST_APPLY);
    }
    ObjectNode base = live == null ? Json.object() : liveView;
    ObjectNode merged;
    try {
      merged = attempt(managed, base, liveView, config, force);
    } catch (Conflicts conflicts) {
      List<Conflict> remaining = conflicts.list;
      if (!force && manager.equals(KUBECTL) && live != null) {
        FieldSet allowed = allowedByLastApplied(liveView);
        remaining = remaining.stream().filter(c -> !allowed.has(c.path())).toList();
      }
      if (!remaining.isEmpty()) {
        throw conflictError(remaining);
      }
      merged = attempt(managed, base, liveView, config, true);
    }
    if (manager.equals(KUBECTL) && live != null && Meta.annotations(live).containsKey(LAST_APPLIED)) {
      ObjectNode lastApplied = config.deepCopy();
      JsonNode annotations = Json.at(lastApplied, "metadata", "annotations");
      if (annotations instanceof ObjectNode a) {
        a.remove(LAST_APPLIED);
      }
      Json.with(Json.with(merged, "metadata"), "annotations").put(LAST_APPLIED, Json.string(lastApplied));
    }
    store(merged, managed);
    return merged;
  }

  /** One conflict: the owner's identity and the path. */
  private record Conflict(ManagedFields.Identity owner, List<PathElement> path) {}

  /** The conflicts of an apply (thrown inside this class only). */
  private static final class Conflicts extends RuntimeException {
    private final List<Conflict> list;

    Conflicts(List<Conflict> list) {
      super(null, null, false, false);
      this.list = list;
    }
  }

  private ObjectNode attempt(ManagedFields managed, ObjectNode base, ObjectNode liveView, ObjectNode config,
      boolean force) {
    ManagedFields.Identity applier = ManagedFields.Identity.of(manager, ManagedFields.APPLY, apiVersion, subresource);
    ObjectNode merged = (ObjectNode) Fields.merge(base, config, type);
    FieldSet applied = scopedSet(Fields.toFieldSet(config, type)).difference(STRIPPED);
    ManagedFields.Entry last = managed.entries().get(applier);
    if (last != null) {
      FieldSet owned = applied;
      for (Map.Entry<ManagedFields.Identity, ManagedFields.Entry> e : managed.entries().entrySet()) {
        if (!e.getKey().equals(applier)) {
          owned = owned.union(e.getValue().fields());
        }
      }
      Fields.remove(merged, prunable(last.fields(), owned), type);
    }
    Fields.Comparison comparison = scoped(Fields.compare(liveView, merged, type));
    FieldSet changed = comparison.changed();
    List<Conflict> conflicts = new ArrayList<>();
    managed.entries().forEach((identity, entry) -> {
      if (!identity.equals(applier)) {
        entry.fields().intersection(changed).forEachPath(p -> conflicts.add(new Conflict(identity, p)));
      }
    });
    if (!conflicts.isEmpty() && !force) {
      throw new Conflicts(conflicts);
    }
    takeFromOthers(managed, applier, changed, comparison.removed());
    String stamp = comparison.isSame() && last != null ? last.time() : time;
    if (comparison.isSame() && last == null) {
      stamp = null;
    }
    if (!applied.isEmpty()) {
      managed.entries().put(applier, new ManagedFields.Entry(applied, apiVersion, stamp));
    } else {
      managed.entries().remove(applier);
    }
    return merged;
  }

  /**
   * The members of the applier's previous set that nobody owns now: those go from the object. A member with owned
   * fields below it stays, and only its unowned members below are removed.
   */
  static FieldSet prunable(FieldSet last, FieldSet owned) {
    FieldSet result = new FieldSet();
    last.forEachPath(path -> {
      if (!owned.has(path) && owned.below(path).isEmpty() && !ownedAbove(owned, path)) {
        result.insert(path);
      }
    });
    return result;
  }

  private static boolean ownedAbove(FieldSet owned, List<PathElement> path) {
    for (int i = 1; i < path.size(); i++) {
      if (owned.has(path.subList(0, i))) {
        return true;
      }
    }
    return false;
  }

  /** The fields of the last-applied annotation whose values the live object still has (lastAppliedManager). */
  private FieldSet allowedByLastApplied(ObjectNode liveView) {
    String annotation = Meta.annotations(liveView).get(LAST_APPLIED);
    if (annotation == null || annotation.isEmpty()) {
      return new FieldSet();
    }
    JsonNode lastApplied;
    try {
      lastApplied = Json.parse(annotation.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new FieldSet();
    }
    if (!(lastApplied instanceof ObjectNode object) || !apiVersion.equals(Json.textOrNull(object, "apiVersion"))) {
      return new FieldSet();
    }
    Fields.Comparison comparison = Fields.compare(object, liveView, type);
    return Fields.toFieldSet(object, type).difference(comparison.modified()).difference(comparison.added())
        .difference(comparison.removed());
  }

  private ApiException conflictError(List<Conflict> conflicts) {
    List<Conflict> sorted = new ArrayList<>(conflicts);
    sorted.sort(Comparator.comparing((Conflict c) -> c.owner().manager())
        .thenComparing(c -> FieldSet.toString(c.path())));
    List<ApiException.Cause> causes = new ArrayList<>();
    for (Conflict conflict : sorted) {
      causes.add(new ApiException.Cause("FieldManagerConflict", "conflict with " + conflict.owner().describe(),
          FieldSet.toString(conflict.path())));
    }
    String message;
    if (sorted.size() == 1) {
      message = "Apply failed with 1 conflict: conflict with " + sorted.get(0).owner().describe() + ": "
          + FieldSet.toString(sorted.get(0).path());
    } else {
      Map<String, List<Conflict>> byManager = new TreeMap<>();
      for (Conflict conflict : sorted) {
        byManager.computeIfAbsent(conflict.owner().describe(), m -> new ArrayList<>()).add(conflict);
      }
      List<String> lines = new ArrayList<>();
      byManager.forEach((owner, list) -> {
        lines.add("conflicts with " + owner + ":");
        list.forEach(c -> lines.add("- " + FieldSet.toString(c.path())));
      });
      message = "Apply failed with " + sorted.size() + " conflicts: " + String.join("\n", lines);
    }
    return new ApiException(409, "Conflict", message, null, null, null, causes);
  }

  // ---------------------------------------------------------------- helpers

  private Fields.Comparison scoped(Fields.Comparison comparison) {
    return new Fields.Comparison(scopedSet(comparison.added()), scopedSet(comparison.modified()),
        scopedSet(comparison.removed()));
  }

  private FieldSet scopedSet(FieldSet set) {
    return switch (scope) {
      case ALL -> set;
      case NOT_STATUS -> set.difference(withBelow(set, "status"));
      case ONLY_STATUS -> withBelow(set, "status");
    };
  }

  private static FieldSet withBelow(FieldSet set, String field) {
    FieldSet result = new FieldSet();
    List<PathElement> prefix = List.of(PathElement.field(field));
    set.forEachPath(path -> {
      if (!path.isEmpty() && path.get(0).equals(prefix.get(0))) {
        result.insert(path);
      }
    });
    return result;
  }

  private static ManagedFields decodeOrEmpty(JsonNode managedFields) {
    try {
      return ManagedFields.decode(managedFields);
    } catch (IllegalArgumentException e) {
      return ManagedFields.empty();
    }
  }

  private static ObjectNode withoutManagedFields(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    JsonNode metadata = copy.get("metadata");
    if (metadata instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return copy;
  }

  /**
   * The object without its managedFields, for comparing only: a new top level and metadata sharing every other value
   * with the object (a deep copy of each write's objects would cost more than the comparison).
   */
  private static ObjectNode withoutManagedFieldsView(ObjectNode object) {
    ObjectNode view = object.objectNode();
    view.setAll(object);
    if (object.get("metadata") instanceof ObjectNode metadata && metadata.has("managedFields")) {
      ObjectNode viewMetadata = view.putObject("metadata");
      viewMetadata.setAll(metadata);
      viewMetadata.remove("managedFields");
    }
    return view;
  }

  private static void store(ObjectNode object, ManagedFields managed) {
    ArrayNode encoded = managed.encode();
    ObjectNode metadata = Meta.metadata(object);
    if (encoded == null) {
      metadata.remove("managedFields");
    } else {
      metadata.set("managedFields", encoded);
    }
  }
}

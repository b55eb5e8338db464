package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;
import io.minicluster.json.Json;
import io.minicluster.store.Store;
import io.minicluster.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The generic storage of one resource type (Kubernetes' registry/generic/registry.Store): everything common to all
 * kinds — system metadata, optimistic concurrency, dry runs, graceful deletion and finalizers, list paging and
 * watch — with the kind-specific parts delegated to a {@link Strategy} and cross-resource checks to
 * {@link Admission}. What a delete does is decided by {@link DeletionRules}, page tokens are {@link ContinueTokens},
 * a watch's filtering is a {@link WatchMatcher}, the stored bytes are a {@link StoredForm}; subresources with rules of
 * their own write through a {@link SubresourceStrategy}.
 */
public final class GenericRegistry {
  private static final int MAX_RETRIES = 16;
  private static final String MODIFIED = "the object has been modified; please apply your changes to the latest "
      + "version and try again";
  private static final String GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Objects a delete collection reads from the store at a time. */
  static final int DELETE_COLLECTION_PAGE = 500;
  /** Deletes a delete collection runs at once. */
  static final int DELETE_COLLECTION_WORKERS = 16;
  /** The delete collections' workers, shared by every registry; idle threads go away. */
  private static final ExecutorService DELETE_COLLECTION_EXECUTOR = deleteCollectionExecutor();

  private final ResourceType type;
  private final Strategy strategy;
  private final Store store;
  private final Admission admission;
  private final Clock clock;
  private final MetadataValidator metadataValidator;
  private final TypeCheck typeCheck;
  private final StoredForm form;
  private final DeletionRules deletion;
  private final Duration ttl;
  /** The type whose store keys hold this type's objects: {@link #type} itself unless another type owns them. */
  private final ResourceType storage;

  /** Validates metadata of a new or updated object; supplied by the registry wiring. */
  public interface MetadataValidator {
    List<FieldError> validate(ResourceType type, ObjectNode object);

    List<FieldError> validateUpdate(ResourceType type, ObjectNode object, ObjectNode old);
  }

  /**
   * Decodes an object against its type's schema before it is written, as the apiserver decodes every object into its
   * Go type: supplied by the registry wiring.
   */
  public interface TypeCheck {
    /** Checks nothing: for tests of components that only need objects stored, not the API's checks. */
    TypeCheck NONE = (type, object) -> { };

    /**
     * @throws ApiException (400) when a field holds a value of the wrong type, which no client could decode
     */
    void check(ResourceType type, ObjectNode object);
  }

  /**
   * A registry of a type; objects are stored in the form the conversion gives them (see {@link StorageConversion}).
   */
  public GenericRegistry(ResourceType type, Strategy strategy, Store store, Admission admission, Clock clock,
      MetadataValidator metadataValidator, TypeCheck typeCheck, StorageConversion conversion) {
    this(type, strategy, store, admission, clock, metadataValidator, typeCheck, conversion, Duration.ZERO);
  }

  /**
   * A registry whose objects expire {@code ttl} after their last write (the store deletes them), as the apiserver's
   * registry stores with a TTLFunc (events, {@code --event-ttl}); zero: never.
   */
  public GenericRegistry(ResourceType type, Strategy strategy, Store store, Admission admission, Clock clock,
      MetadataValidator metadataValidator, TypeCheck typeCheck, StorageConversion conversion, Duration ttl) {
    requireNonNull(conversion, "conversion is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
    this.form = new StoredForm(conversion);
    this.type = requireNonNull(type, "type is null");
    this.storage = conversion.storedAs(type);
    this.strategy = requireNonNull(strategy, "strategy is null");
    this.store = requireNonNull(store, "store is null");
    this.admission = requireNonNull(admission, "admission is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.metadataValidator = requireNonNull(metadataValidator, "metadataValidator is null");
    this.typeCheck = requireNonNull(typeCheck, "typeCheck is null");
    this.deletion = new DeletionRules(type);
  }

  public ResourceType type() {
    return type;
  }

  public Strategy strategy() {
    return strategy;
  }

  // ---------------------------------------------------------------- reads

  public ObjectNode get(String namespace, String name) {
    return find(namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  public Optional<ObjectNode> find(String namespace, String name) {
    return store.get(storage.key(namespace, name)).map(form::decode);
  }

  public ObjectList list(String namespace, ListOptions options) {
    String prefix = storage.namespacePrefix(namespace);
    String startAfter = null;
    if (options.continueToken() != null && !options.continueToken().isEmpty()) {
      startAfter = ContinueTokens.decode(options.continueToken(), prefix);
    }
    List<ObjectNode> items = new ArrayList<>();
    long revision;
    String next = null;
    Long remaining = null;
    if (options.limit() <= 0) {
      Store.ListResult result = store.list(prefix, startAfter, 0);
      revision = result.revision();
      for (Store.Entry entry : result.entries()) {
        ObjectNode object = form.decode(entry);
        if (options.filter().test(object)) {
          items.add(object);
        }
      }
    } else {
      // fill a page with matching objects, reading the store in chunks
      String cursor = startAfter;
      revision = -1;
      boolean more = true;
      String lastKey = null;
      while (items.size() < options.limit() && more) {
        Store.ListResult result = store.list(prefix, cursor, Math.max(options.limit(), 100));
        if (revision < 0) {
          revision = result.revision();
        }
        more = result.more();
        for (Store.Entry entry : result.entries()) {
          cursor = entry.key();
          ObjectNode object = form.decode(entry);
          if (options.filter().test(object)) {
            items.add(object);
            lastKey = entry.key();
            if (items.size() == options.limit()) {
              break;
            }
          }
        }
        if (items.size() == options.limit()) {
          // is there anything after lastKey?
          Store.ListResult peek = store.list(prefix, lastKey, 1);
          if (!peek.entries().isEmpty()) {
            next = ContinueTokens.encode(revision, lastKey, prefix);
            remaining = (long) store.list(prefix, lastKey, 0).entries().size();
          }
          break;
        }
      }
      if (revision < 0) {
        revision = store.revision();
      }
    }
    return new ObjectList(items, revision, next, remaining);
  }

  // ---------------------------------------------------------------- create

  public ObjectNode create(String namespace, ObjectNode object, WriteOptions options) {
    requireNonNull(object, "object is null");
    try {
      return admitAndCreate(namespace, object, options);
    } finally {
      admission.writeFinished(type, object);
    }
  }

  private ObjectNode admitAndCreate(String namespace, ObjectNode object, WriteOptions options) {
    checkTypeMeta(object);
    typeCheck.check(type, object);
    ObjectNode metadata = Meta.metadata(object);
    if (type.namespaced()) {
      String bodyNamespace = Json.textOrNull(metadata, "namespace");
      if (bodyNamespace != null && !bodyNamespace.isEmpty() && namespace != null && !bodyNamespace.equals(namespace)) {
        throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      String effective = namespace != null && !namespace.isEmpty() ? namespace : bodyNamespace;
      if (effective == null || effective.isEmpty()) {
        effective = "default";
      }
      metadata.put("namespace", effective);
    } else {
      metadata.remove("namespace");
    }
    boolean generated = false;
    String name = Json.textOrNull(metadata, "name");
    String generateName = Json.textOrNull(metadata, "generateName");
    if ((name == null || name.isEmpty()) && generateName != null && !generateName.isEmpty()) {
      metadata.put("name", generateName(generateName));
      generated = true;
    }
    strategy.applyDefaults(object);
    // system fields, before the strategy prepares the object (as FillObjectMetaSystemFields): a Job's generated
    // selector carries its uid
    metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", Meta.timestamp(clock.instant()));
    strategy.prepareForCreate(object);
    if (strategy.hasGeneration()) {
      metadata.put("generation", 1);
    } else {
      metadata.remove("generation");
    }
    options.tracking().track(null, object);
    admission.admitCreate(type, object, options);
    AdmissionRequest request = new AdmissionRequest(AdmissionRequest.Operation.CREATE, type, "",
        Meta.namespace(object), Meta.name(object), object, null, options.dryRun(), options.requester());
    admission.mutate(request);
    List<FieldError> errors = new ArrayList<>(metadataValidator.validate(type, object));
    errors.addAll(strategy.validate(object));
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, displayName(object), errors);
    }
    admission.validate(request);
    if (options.dryRun()) {
      if (find(Meta.namespace(object), Meta.name(object)).isPresent()) {
        throw ApiException.alreadyExists(type, Meta.name(object));
      }
      return object;
    }
    for (int attempt = 0; ; attempt++) {
      try {
        Store.Entry entry = store.create(storage.key(Meta.namespace(object), Meta.name(object)),
            form.encode(object), ttl);
        metadata.put("resourceVersion", Long.toString(entry.revision()));
        return object;
      } catch (StoreException.AlreadyExists e) {
        if (generated && attempt < 5) {
          metadata.put("name", generateName(generateName));
          continue;
        }
        throw ApiException.alreadyExists(type, Meta.name(object));
      } catch (StoreException.Unavailable e) {
        throw ApiException.internal(e.getMessage());
      }
    }
  }

  private static String generateName(String base) {
    String prefix = base.length() > 58 ? base.substring(0, 58) : base;
    StringBuilder s = new StringBuilder(prefix);
    for (int i = 0; i < 5; i++) {
      s.append(GENERATE_ALPHABET.charAt(RANDOM.nextInt(GENERATE_ALPHABET.length())));
    }
    return s.toString();
  }

  private String displayName(ObjectNode object) {
    String name = Meta.name(object);
    return name == null ? "" : name;
  }

  private void checkTypeMeta(ObjectNode object) {
    String apiVersion = Json.textOrNull(object, "apiVersion");
    String kind = Json.textOrNull(object, "kind");
    if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + type.apiVersion() + ")");
    }
    if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
          + type.kind() + ")");
    }
    // keep apiVersion and kind first, as the real serializer does
    Iterator<String> names = object.fieldNames();
    if (names.hasNext() && names.next().equals("kind") && names.hasNext() && names.next().equals("apiVersion")
        && type.kind().equals(kind) && type.apiVersion().equals(apiVersion)) {
      return;
    }
    Map<String, JsonNode> rest = new LinkedHashMap<>();
    object.fields().forEachRemaining(field -> rest.put(field.getKey(), field.getValue()));
    rest.remove("kind");
    rest.remove("apiVersion");
    object.removeAll();
    object.put("kind", type.kind());
    object.put("apiVersion", type.apiVersion());
    object.setAll(rest);
  }

  // ---------------------------------------------------------------- update

  /** Which rules an update follows. */
  public enum UpdateKind {
    /** PUT/PATCH of the resource: the strategy keeps status, validates the update. */
    MAIN,
    /** The status subresource: only status changes. */
    STATUS
  }

  /**
   * Replaces an object (PUT). With {@code status} true this is the status subresource: only status changes.
   */
  public ObjectNode update(String namespace, String name, ObjectNode object, WriteOptions options, UpdateKind kind) {
    checkTypeMeta(object);
    typeCheck.check(type, object);
    ObjectNode metadata = Meta.metadata(object);
    String bodyName = Json.textOrNull(metadata, "name");
    if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + name + ")");
    }
    metadata.put("name", name);
    if (type.namespaced()) {
      String bodyNamespace = Json.textOrNull(metadata, "namespace");
      if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
        throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    String requestedVersion = Json.textOrNull(metadata, "resourceVersion");
    ObjectNode old = find(namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
    if (!unconditional(requestedVersion) && !requestedVersion.equals(Meta.resourceVersion(old))) {
      throw ApiException.modified(type, name);
    }
    return writeUpdate(old, object, options, requireNonNull(kind, "kind is null"), null);
  }

  /**
   * Whether a write carrying this resourceVersion is unconditional: the apiserver parses "" and "0" alike as version 0,
   * which every built-in kind takes as "no precondition" (AllowUnconditionalUpdate), not as a stale version.
   */
  public static boolean unconditional(String resourceVersion) {
    return resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0");
  }

  /**
   * Read-modify-write with retries on conflict (GuaranteedUpdate). The function gets a private copy of the current
   * object and returns the desired one; if it sets a resourceVersion different from the current one, the update
   * fails with 409 instead of retrying.
   */
  public ObjectNode guaranteedUpdate(String namespace, String name, UnaryOperator<ObjectNode> change,
      WriteOptions options, UpdateKind kind) {
    return guaranteedUpdate(namespace, name, change, options, requireNonNull(kind, "kind is null"), null);
  }

  /**
   * Read-modify-write, as {@link #guaranteedUpdate(String, String, UnaryOperator, WriteOptions, UpdateKind)}, of a
   * subresource with update rules of its own (binding, finalize): the kind's strategy is not consulted.
   */
  public ObjectNode guaranteedUpdate(String namespace, String name, UnaryOperator<ObjectNode> change,
      WriteOptions options, SubresourceStrategy subresource) {
    return guaranteedUpdate(namespace, name, change, options, null,
        requireNonNull(subresource, "subresource is null"));
  }

  private ObjectNode guaranteedUpdate(String namespace, String name, UnaryOperator<ObjectNode> change,
      WriteOptions options, UpdateKind kind, SubresourceStrategy subresource) {
    for (int attempt = 0; ; attempt++) {
      ObjectNode old = get(namespace, name);
      String currentVersion = Meta.resourceVersion(old);
      ObjectNode desired = change.apply(old.deepCopy());
      if (desired == null) {
        return old;
      }
      checkTypeMeta(desired);
      typeCheck.check(type, desired);
      String desiredVersion = Meta.resourceVersion(desired);
      if (!unconditional(desiredVersion) && !desiredVersion.equals(currentVersion)) {
        throw ApiException.modified(type, name);
      }
      String desiredName = Meta.name(desired);
      if (desiredName != null && !desiredName.equals(name)) {
        throw ApiException.badRequest("the name of the object (" + desiredName
            + ") does not match the name on the URL (" + name + ")");
      }
      Meta.metadata(desired).put("name", name);
      if (type.namespaced()) {
        Meta.metadata(desired).put("namespace", namespace);
      }
      try {
        return writeUpdate(old, desired, options, kind, subresource);
      } catch (ApiException e) {
        // a conflict means the object changed since it was read: read it again and re-apply the change (a change
        // pinned to an older resourceVersion then fails the check above with 409)
        boolean conflict = e.code() == 409 && "Conflict".equals(e.reason())
            && e.getMessage().endsWith(MODIFIED);
        if (!conflict || attempt >= MAX_RETRIES) {
          throw e;
        }
      }
    }
  }

  /** Writes an update by the rules of the kind (MAIN, STATUS) or, when kind is null, of the subresource. */
  private ObjectNode writeUpdate(ObjectNode old, ObjectNode object, WriteOptions options, UpdateKind kind,
      SubresourceStrategy subresource) {
    try {
      return admitAndWriteUpdate(old, object, options, kind, subresource);
    } finally {
      admission.writeFinished(type, object);
    }
  }

  private ObjectNode admitAndWriteUpdate(ObjectNode old, ObjectNode object, WriteOptions options, UpdateKind kind,
      SubresourceStrategy subresource) {
    boolean status = kind == UpdateKind.STATUS;
    ObjectNode metadata = Meta.metadata(object);
    ObjectNode oldMetadata = Meta.metadata(old);
    String name = Meta.name(old);
    // preconditions on uid
    String bodyUid = Json.textOrNull(metadata, "uid");
    if (bodyUid != null && !bodyUid.isEmpty() && !bodyUid.equals(Meta.uid(old))) {
      throw ApiException.conflict(type, name, "Precondition failed: UID in precondition: " + bodyUid
          + ", UID in object meta: " + Meta.uid(old));
    }
    // system fields are not writable
    for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation")) {
      JsonNode value = oldMetadata.get(field);
      if (value == null) {
        metadata.remove(field);
      } else {
        metadata.set(field, value.deepCopy());
      }
    }
    metadata.remove("selfLink");
    if (status) {
      strategy.prepareForStatusUpdate(object, old);
      // only status (and, as the apiserver allows, nothing else of metadata) changes
      ObjectNode keptMetadata = oldMetadata.deepCopy();
      // but the managedFields a server-side apply of the status computed
      JsonNode managedFields = metadata.get("managedFields");
      if (managedFields != null) {
        keptMetadata.set("managedFields", managedFields);
      }
      object.set("metadata", keptMetadata);
      metadata = keptMetadata;
    } else if (subresource != null) {
      subresource.prepareForUpdate(object, old);
    } else {
      strategy.applyDefaults(object);
      strategy.prepareForUpdate(object, old);
    }
    if (kind == UpdateKind.MAIN && strategy.hasGeneration() && strategy.specChanged(object, old)) {
      long generation = oldMetadata.path("generation").asLong(0);
      metadata.put("generation", generation + 1);
    }
    options.tracking().track(old, object);
    admission.admitUpdate(type, object, old, options);
    String subresourceName = status ? "status" : subresource != null ? subresource.subresource() : "";
    AdmissionRequest request = new AdmissionRequest(AdmissionRequest.Operation.UPDATE, type, subresourceName,
        Meta.namespace(old), name, object, old, options.dryRun(), options.requester());
    admission.mutate(request);
    List<FieldError> errors = new ArrayList<>();
    if (status) {
      errors.addAll(strategy.validateStatusUpdate(object, old));
    } else if (subresource != null) {
      errors.addAll(metadataValidator.validateUpdate(type, object, old));
      errors.addAll(subresource.validateUpdate(object, old));
    } else {
      errors.addAll(metadataValidator.validateUpdate(type, object, old));
      errors.addAll(strategy.validateUpdate(object, old));
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(type, name, errors);
    }
    admission.validate(request);
    // an object being deleted whose last finalizer went away is removed now
    boolean finalize = deletion.completes(object);
    metadata.put("resourceVersion", Meta.resourceVersion(old));
    // compare serialized forms: trees built in code hold longs where parsed ones hold ints for the same number
    byte[] encoded = form.encode(object);
    if (!finalize && Arrays.equals(encoded, form.encode(old))) {
      return old;
    }
    if (options.dryRun()) {
      return object;
    }
    String key = storage.key(Meta.namespace(old), name);
    try {
      if (finalize) {
        Store.Entry entry = store.delete(key, Meta.revision(old));
        metadata.put("resourceVersion", Long.toString(entry.revision()));
        admission.deleted(type, object);
        return object;
      }
      Store.Entry entry = store.update(key, Meta.revision(old), encoded, ttl);
      metadata.put("resourceVersion", Long.toString(entry.revision()));
      return object;
    } catch (StoreException.Conflict e) {
      throw ApiException.modified(type, name);
    } catch (StoreException.NotFound e) {
      throw ApiException.notFound(type, name);
    } catch (StoreException.Unavailable e) {
      throw ApiException.internal(e.getMessage());
    }
  }

  // ---------------------------------------------------------------- delete

  /** The result of a delete: the object as it is now, and whether it is gone (false = deletion pending). */
  public record DeleteResult(ObjectNode object, boolean gone) {}

  public DeleteResult delete(String namespace, String name, DeleteOptions options) {
    return delete(namespace, name, options, Requester.IN_PROCESS);
  }

  /** A delete on behalf of a requester, whom admission (webhooks) sees. */
  public DeleteResult delete(String namespace, String name, DeleteOptions options, Requester requester) {
    requireNonNull(requester, "requester is null");
    for (int attempt = 0; ; attempt++) {
      ObjectNode current = get(namespace, name);
      try {
        return deleteOnce(current, options, requester);
      } catch (ApiException e) {
        if (e.code() == 409 && "Conflict".equals(e.reason()) && options.preconditionResourceVersion() == null
            && attempt < MAX_RETRIES) {
          continue;
        }
        throw e;
      }
    }
  }

  private DeleteResult deleteOnce(ObjectNode current, DeleteOptions options, Requester requester) {
    String name = Meta.name(current);
    deletion.checkPreconditions(current, options);
    admission.admitDelete(type, current);
    AdmissionRequest request = new AdmissionRequest(AdmissionRequest.Operation.DELETE, type, "",
        Meta.namespace(current), name, null, current, options.dryRun(), requester);
    admission.mutate(request);
    admission.validate(request);
    DeletionRules.Plan plan = deletion.plan(Meta.deleting(current) ? current : strategy.prepareForDelete(current),
        options, clock.instant());
    switch (plan.action()) {
      case NONE -> {
        return new DeleteResult(current, false);
      }
      case MARK -> {
        ObjectNode object = plan.object();
        if (options.dryRun()) {
          return new DeleteResult(object, false);
        }
        ObjectNode metadata = Meta.metadata(object);
        if (strategy.hasGeneration()) {
          metadata.put("generation", metadata.path("generation").asLong(0) + 1);
        }
        try {
          Store.Entry entry = store.update(storage.key(Meta.namespace(current), name), Meta.revision(current),
              form.encode(object), ttl);
          metadata.put("resourceVersion", Long.toString(entry.revision()));
          return new DeleteResult(object, false);
        } catch (StoreException.Conflict e) {
          throw ApiException.modified(type, name);
        } catch (StoreException.NotFound e) {
          throw ApiException.notFound(type, name);
        }
      }
      default -> {
        if (options.dryRun()) {
          return new DeleteResult(current, true);
        }
        try {
          Store.Entry entry = store.delete(storage.key(Meta.namespace(current), name), Meta.revision(current));
          ObjectNode deleted = form.decode(entry);
          admission.deleted(type, deleted);
          return new DeleteResult(deleted, true);
        } catch (StoreException.Conflict e) {
          throw ApiException.modified(type, name);
        } catch (StoreException.NotFound e) {
          throw ApiException.notFound(type, name);
        }
      }
    }
  }

  /** What a delete collection hands over as it goes. */
  public interface DeletedSink {
    /** Called first, once: the revision the objects are listed at (the resourceVersion of the apiserver's answer). */
    void listed(long revision);

    /** An object deleted or marked for deletion; called in list order. */
    void deleted(ObjectNode object);
  }

  /**
   * Deletes every object of a namespace (or all) matching the filter and hands {@code sink} each object deleted or
   * marked for deletion. The store is read a page at a time, and a page's objects are deleted by up to
   * {@link #DELETE_COLLECTION_WORKERS} writes at once (the apiserver's --delete-collection-workers), so that their
   * writes share the store's commits; only one page of objects is held at a time. An error other than NotFound stops
   * the deletion once its page is done and is thrown.
   */
  public void deleteCollection(String namespace, ListOptions listOptions, DeleteOptions options, DeletedSink sink) {
    deleteCollection(namespace, listOptions, options, Requester.IN_PROCESS, sink);
  }

  /** {@link #deleteCollection(String, ListOptions, DeleteOptions, DeletedSink)} on behalf of a requester. */
  public void deleteCollection(String namespace, ListOptions listOptions, DeleteOptions options, Requester requester,
      DeletedSink sink) {
    requireNonNull(requester, "requester is null");
    requireNonNull(sink, "sink is null");
    String prefix = storage.namespacePrefix(namespace);
    String cursor = null;
    boolean more = true;
    for (boolean first = true; more; first = false) {
      Store.ListResult page = store.list(prefix, cursor, DELETE_COLLECTION_PAGE);
      if (first) {
        sink.listed(page.revision());
      }
      more = page.more();
      List<ObjectNode> matching = new ArrayList<>();
      for (Store.Entry entry : page.entries()) {
        cursor = entry.key();
        ObjectNode object = form.decode(entry);
        if (listOptions.filter().test(object)) {
          matching.add(object);
        }
      }
      deletePage(matching, options, requester).forEach(sink::deleted);
    }
  }

  private static ExecutorService deleteCollectionExecutor() {
    AtomicInteger counter = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(DELETE_COLLECTION_WORKERS, DELETE_COLLECTION_WORKERS, 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "delete-collection-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** Deletes {@code objects} in parallel; returns what each delete left (in their order), leaving out the gone. */
  private List<ObjectNode> deletePage(List<ObjectNode> objects, DeleteOptions options, Requester requester) {
    List<CompletableFuture<ObjectNode>> deletions = new ArrayList<>(objects.size());
    Semaphore slots = new Semaphore(DELETE_COLLECTION_WORKERS);
    for (ObjectNode object : objects) {
      slots.acquireUninterruptibly();
      CompletableFuture<ObjectNode> deletion = CompletableFuture.supplyAsync(() -> {
        try {
          return delete(Meta.namespace(object), Meta.name(object), options, requester).object();
        } catch (ApiException e) {
          if (e.code() != 404) {
            throw e;
          }
          return null;
        }
      }, DELETE_COLLECTION_EXECUTOR);
      deletion.whenComplete((deleted, failure) -> slots.release());
      deletions.add(deletion);
    }
    List<ObjectNode> results = new ArrayList<>(objects.size());
    RuntimeException first = null;
    for (CompletableFuture<ObjectNode> deletion : deletions) {
      try {
        ObjectNode deleted = deletion.join();
        if (deleted != null) {
          results.add(deleted);
        }
      } catch (CompletionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException cause ? cause : e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  // ---------------------------------------------------------------- watch

  /** A running watch; close to stop. */
  public interface WatchHandle extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Watches objects of a namespace (null = all) matching the options' filter. With resourceVersion "" or "0", or
   * sendInitialEvents, the current objects come first as ADDED events.
   */
  public WatchHandle watch(String namespace, ListOptions options, WatchSink sink) {
    String prefix = storage.namespacePrefix(namespace);
    WatchMatcher matcher = new WatchMatcher(options.filter(), sink);
    long from;
    boolean initial = Boolean.TRUE.equals(options.sendInitialEvents())
        || (options.sendInitialEvents() == null
            && (options.resourceVersion().isEmpty() || options.resourceVersion().equals("0")));
    if (initial) {
      Store.ListResult snapshot = store.list(prefix, null, 0);
      from = snapshot.revision();
      for (Store.Entry entry : snapshot.entries()) {
        matcher.initial(entry.key(), form.decode(entry));
      }
      if (Boolean.TRUE.equals(options.sendInitialEvents())) {
        sink.bookmark(from, true);
      }
    } else {
      try {
        from = Long.parseLong(options.resourceVersion());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid resource version: " + options.resourceVersion());
      }
      // objects matching at "from" are assumed known to the client
      if (from < store.compactedRevision()) {
        sink.error(ApiException.expired("too old resource version: " + from + " (" + store.compactedRevision() + ")"));
        return () -> { };
      }
      for (Store.Entry entry : store.list(prefix, null, 0).entries()) {
        if (entry.revision() <= from) {
          matcher.known(entry.key(), form.decode(entry));
        }
      }
    }
    try {
      Store.Watch watch = store.watch(prefix, from, new Store.WatchListener() {
        @Override
        public void onEvent(Store.Event event) {
          matcher.event(event.type(), event.key(), form.decode(event.revision(), event.value()));
        }

        @Override
        public void onProgress(long revision) {
          if (options.allowBookmarks()) {
            sink.bookmark(revision, false);
          }
        }

        @Override
        public void onClose(String reason) {
          sink.closed();
        }
      });
      return watch::close;
    } catch (StoreException.Compacted e) {
      sink.error(ApiException.expired(e.getMessage()));
      return () -> { };
    }
  }
}

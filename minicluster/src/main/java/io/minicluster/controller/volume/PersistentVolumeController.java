package io.minicluster.controller.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.PersistentVolume;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.core.PersistentVolumeClaimStatus;
import io.minicluster.api.core.PersistentVolumeSpec;
import io.minicluster.api.core.PersistentVolumeStatus;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Volume;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.resource.Quantity;
import io.minicluster.api.storage.StorageClass;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.controller.finalizers.Finalizers;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The persistent volume controller (pkg/controller/volume/persistentvolume) with the local-path provisioner built in.
 * Claims ("namespace/name" keys) are bound to the smallest matching available volume, or to the volume they or it
 * pre-bind; claims of a class whose provisioner is {@link LocalPathProvisioner#NAME} get a volume of their own. With
 * WaitForFirstConsumer, provisioning waits for a scheduled pod that uses the claim, whose node the controller records
 * as {@code volume.kubernetes.io/selected-node} (upstream's scheduler does; on a single node the scheduler has no
 * choice to make, so the controller records it). Volumes (cluster-scoped name keys) go Available, Bound, or Released
 * once their claim is gone, and are then reclaimed: Retain keeps them, Delete removes a provisioned volume's directory
 * and object; a volume this provisioner did not make cannot be deleted and goes Failed, as upstream's does without a
 * deleter plugin. Claims carry the {@code kubernetes.io/pvc-protection} finalizer (added here, as the pvc-protection
 * controller adds it where admission did not), released once no unfinished pod uses the claim.
 */
public final class PersistentVolumeController implements ControllerLoop {
  /** The finalizer that keeps a claim while pods use it (StorageObjectInUseProtection). */
  static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  /** The finalizer that keeps a volume while a claim is bound to it. */
  static final String PV_PROTECTION = "kubernetes.io/pv-protection";
  static final String ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  static final String ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  static final String ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  static final String ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";

  private final Client client;
  private final Informer<PersistentVolume> volumes;
  private final Informer<PersistentVolumeClaim> claims;
  private final Informer<StorageClass> classes;
  private final Informer<Pod> pods;
  private final EventRecorder events;
  private final LocalPathProvisioner provisioner;
  private final String nodeName;

  /**
   * @param nodeName the node whose disk holds provisioned volumes (claims of Immediate classes are placed there)
   */
  public PersistentVolumeController(Client client, SharedInformers informers, WorkQueue queue, EventRecorder events,
      Path storageRoot, String nodeName) {
    this.client = requireNonNull(client, "client is null");
    requireNonNull(queue, "queue is null");
    this.events = requireNonNull(events, "events is null");
    this.provisioner = new LocalPathProvisioner(storageRoot);
    this.nodeName = requireNonNull(nodeName, "nodeName is null");
    this.volumes = informers.informer(Kinds.PERSISTENT_VOLUMES);
    this.claims = informers.informer(Kinds.PERSISTENT_VOLUME_CLAIMS);
    this.classes = informers.informer(Kinds.STORAGE_CLASSES);
    this.pods = informers.informer(Kinds.PODS);
    volumes.addHandler(Handlers.enqueueing(volume -> {
      queue.add(volume.metadata().name());
      ObjectReference claimRef = volume.spec().claimRef();
      if (claimRef != null) {
        queue.add(Keys.of(claimRef.namespace(), claimRef.name()));
      } else {
        // a volume free to bind: the claims still waiting for one look again
        claims.list(claim -> claim.spec().volumeName().isEmpty())
            .forEach(claim -> queue.add(Keys.of(claim.metadata())));
      }
    }));
    claims.addHandler(Handlers.enqueueing(claim -> {
      queue.add(Keys.of(claim.metadata()));
      if (!claim.spec().volumeName().isEmpty()) {
        queue.add(claim.spec().volumeName());
      }
    }));
    claims.addHandler(new Informer.Handler<>() {
      @Override
      public void onDelete(PersistentVolumeClaim claim) {
        // a volume pre-bound to the claim by name only is not found by its volumeName
        volumes.list(volume -> refersTo(volume, claim))
            .forEach(volume -> queue.add(volume.metadata().name()));
      }
    });
    // a scheduled pod may be a claim's first consumer; a pod that finishes or goes may release a claim's protection
    pods.addHandler(Handlers.enqueueing(
        pod -> claimNames(pod).forEach(claim -> queue.add(Keys.of(pod.metadata().namespace(), claim)))));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(volumes, claims, classes, pods);
  }

  @Override
  public long reconcile(String key) throws IOException {
    String namespace = Keys.namespace(key);
    if (namespace == null) {
      PersistentVolume volume = volumes.get(null, key).orElse(null);
      if (volume != null) {
        syncVolume(volume);
      }
      return 0;
    }
    PersistentVolumeClaim claim = claims.get(namespace, Keys.name(key)).orElse(null);
    if (claim != null) {
      syncClaim(claim);
    }
    return 0;
  }

  // ---- claims

  private void syncClaim(PersistentVolumeClaim claim) throws IOException {
    if (claim.metadata().isDeleting()) {
      releaseProtection(claim);
      return;
    }
    if (!claim.metadata().hasFinalizer(PVC_PROTECTION)) {
      client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim.metadata().namespace(), claim.metadata().name(),
          fresh -> {
            if (Finalizers.has(fresh, PVC_PROTECTION) || fresh.path("metadata").has("deletionTimestamp")) {
              return null;
            }
            fresh.with("metadata").withArray("finalizers").add(PVC_PROTECTION);
            return fresh;
          });
    }
    String volumeName = claim.spec().volumeName();
    if (volumeName.isEmpty()) {
      syncUnboundClaim(claim);
      return;
    }
    PersistentVolume volume = volumes.get(null, volumeName).orElse(null);
    if (volume == null) {
      if (PersistentVolumeClaimStatus.BOUND.equals(claim.status().phase())) {
        claimPhase(claim, PersistentVolumeClaimStatus.LOST, null);
        events.warning(reference(claim), "ClaimLost", "Bound claim has lost reference to PersistentVolume. "
            + "Data on the volume is lost!");
      }
      // otherwise the claim is pre-bound to a volume that does not exist yet: it waits
      return;
    }
    ObjectReference claimRef = volume.spec().claimRef();
    if (claimRef == null) {
      // the claim pre-binds the volume by name: bind the volume to it, if it fits
      String mismatch = VolumeMatch.mismatch(volume, claim);
      if (mismatch != null) {
        events.warning(reference(claim), "VolumeMismatch", "Cannot bind to requested volume \"" + volumeName
            + "\": " + mismatch);
        return;
      }
      bind(volume, claim);
      return;
    }
    if (isBoundTo(volume, claim)) {
      // the volume points at the claim (bound by us or pre-bound to it): complete the claim's side
      bind(volume, claim);
      expand(volume, claim);
      return;
    }
    if (PersistentVolumeClaimStatus.BOUND.equals(claim.status().phase())) {
      claimPhase(claim, PersistentVolumeClaimStatus.LOST, null);
      events.warning(reference(claim), "ClaimMisbound", "Two claims are bound to the same volume, this one is bound "
          + "incorrectly");
    } else {
      events.warning(reference(claim), "FailedBinding", "volume \"" + volumeName
          + "\" already bound to a different claim.");
    }
  }

  private void syncUnboundClaim(PersistentVolumeClaim claim) throws IOException {
    PersistentVolume match = VolumeMatch.best(volumes.list(), claim).orElse(null);
    if (match != null) {
      bind(match, claim);
      return;
    }
    String className = claim.spec().storageClassName();
    if (className == null || className.isEmpty()) {
      events.normal(reference(claim), "FailedBinding",
          "no persistent volumes available for this claim and no storage class is set");
      return;
    }
    StorageClass storageClass = classes.get(null, className).orElse(null);
    if (storageClass == null) {
      events.warning(reference(claim), "ProvisioningFailed",
          "storageclass.storage.k8s.io \"" + className + "\" not found");
      return;
    }
    boolean waitForConsumer = StorageClass.WAIT_FOR_FIRST_CONSUMER.equals(storageClass.volumeBindingMode());
    String selectedNode = claim.metadata().annotations().getOrDefault(ANN_SELECTED_NODE, "");
    if (waitForConsumer && selectedNode.isEmpty()) {
      Optional<Pod> consumer = users(claim).stream()
          .filter(pod -> !pod.spec().nodeName().isEmpty() && !pod.metadata().isDeleting()).findFirst();
      if (consumer.isEmpty()) {
        events.normal(reference(claim), "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding");
        return;
      }
      selectedNode = consumer.get().spec().nodeName();
    }
    if (!storageClass.provisioner().equals(LocalPathProvisioner.NAME)) {
      annotateProvisioner(claim, storageClass.provisioner(), selectedNode);
      events.normal(reference(claim), "ExternalProvisioning", "Waiting for a volume to be created either by the "
          + "external provisioner '" + storageClass.provisioner() + "' or manually by the system administrator. If "
          + "volume creation is delayed, please verify that the provisioner is running and correctly registered.");
      return;
    }
    provision(claim, storageClass, selectedNode);
  }

  /** Provisions on the selected node, or (an Immediate class) on this controller's node. */
  private void provision(PersistentVolumeClaim claim, StorageClass storageClass, String selectedNode)
      throws IOException {
    annotateProvisioner(claim, storageClass.provisioner(), selectedNode);
    String node = selectedNode.isEmpty() ? nodeName : selectedNode;
    String unsupported = LocalPathProvisioner.unsupportedAccessModes(claim.spec().accessModes());
    if (unsupported != null) {
      events.warning(reference(claim), "ProvisioningFailed", "failed to provision volume with StorageClass \""
          + storageClass.metadata().name() + "\": " + unsupported);
      return;
    }
    String volumeName = LocalPathProvisioner.volumeName(claim);
    if (volumes.get(null, volumeName).isPresent()) {
      return;
    }
    events.normal(reference(claim), "Provisioning", "External provisioner is provisioning volume for claim \""
        + Keys.of(claim.metadata()) + "\"");
    Path directory = provisioner.createDirectory(claim);
    String reclaimPolicy = storageClass.reclaimPolicy() == null ? PersistentVolumeSpec.DELETE
        : storageClass.reclaimPolicy();
    try {
      client.create(ResourceTypes.PERSISTENT_VOLUMES, null,
          LocalPathProvisioner.volume(claim, directory, node, reclaimPolicy));
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw e;
      }
      return;
    }
    events.normal(reference(claim), "ProvisioningSucceeded", "Successfully provisioned volume " + volumeName);
  }

  /**
   * Volume expansion, as the external resizer does it for a volume that needs no file-system step: a bound claim that
   * asks for more than its volume holds grows a volume this provisioner made (a host directory: its capacity is a
   * record, nothing to copy) when its class allows expansion (admission refused the request otherwise); the claim's
   * status.capacity follows the volume's once the volume changed.
   */
  private void expand(PersistentVolume volume, PersistentVolumeClaim claim) {
    Quantity requested = claim.spec().resources().requests().get("storage");
    Quantity capacity = volume.spec().capacity().get("storage");
    if (requested == null || capacity == null || requested.compareTo(capacity) <= 0
        || !LocalPathProvisioner.NAME.equals(volume.metadata().annotations().get(ANN_PROVISIONED_BY))) {
      return;
    }
    String className = claim.spec().storageClassName();
    boolean allowed = className != null && classes.get(null, className)
        .map(storageClass -> Boolean.TRUE.equals(storageClass.allowVolumeExpansion())).orElse(false);
    if (!allowed) {
      return;
    }
    String volumeName = volume.metadata().name();
    events.normal(reference(claim), "Resizing", "External resizer is resizing volume " + volumeName);
    client.modify(ResourceTypes.PERSISTENT_VOLUMES, null, volumeName, fresh -> {
      JsonNode current = Json.at(fresh, "spec", "capacity", "storage");
      if (current != null && Quantity.fromJson(current).compareTo(requested) >= 0) {
        return null;
      }
      fresh.with("spec").with("capacity").put("storage", requested.toString());
      return fresh;
    });
    events.normal(reference(claim), "VolumeResizeSuccessful", "Resize volume succeeded");
  }

  /** Records the provisioner (both annotations) and the selected node (when one was chosen) on the claim. */
  private void annotateProvisioner(PersistentVolumeClaim claim, String provisionerName, String selectedNode) {
    if (provisionerName.equals(claim.metadata().annotations().get(ANN_STORAGE_PROVISIONER))
        && (selectedNode.isEmpty() || selectedNode.equals(claim.metadata().annotations().get(ANN_SELECTED_NODE)))) {
      return;
    }
    client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim.metadata().namespace(), claim.metadata().name(),
        fresh -> {
          ObjectNode annotations = fresh.with("metadata").with("annotations");
          annotations.put(ANN_STORAGE_PROVISIONER, provisionerName);
          annotations.put(ANN_BETA_STORAGE_PROVISIONER, provisionerName);
          if (!selectedNode.isEmpty()) {
            annotations.put(ANN_SELECTED_NODE, selectedNode);
          }
          return fresh;
        });
  }

  /**
   * Binds a volume and a claim, both sides, each step only when not done yet (bindVolumeToClaim, then
   * bindClaimToVolume, then the claim's status, as pv_controller's bind does).
   */
  private void bind(PersistentVolume volume, PersistentVolumeClaim claim) {
    String volumeName = volume.metadata().name();
    if (!isBoundTo(volume, claim) || volume.spec().claimRef().uid().isEmpty()) {
      boolean byController = volume.spec().claimRef() == null;
      client.modify(ResourceTypes.PERSISTENT_VOLUMES, null, volumeName, fresh -> {
        putClaimRef(fresh.with("spec"), claim);
        if (byController) {
          fresh.with("metadata").with("annotations").put(ANN_BOUND_BY_CONTROLLER, "yes");
        }
        return fresh;
      });
    }
    volumePhase(volumeName, PersistentVolumeStatus.BOUND, "");
    boolean claimDone = claim.spec().volumeName().equals(volumeName)
        && "yes".equals(claim.metadata().annotations().get(ANN_BIND_COMPLETED));
    if (!claimDone) {
      boolean byController = claim.spec().volumeName().isEmpty();
      client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim.metadata().namespace(), claim.metadata().name(),
          fresh -> {
            fresh.with("spec").put("volumeName", volumeName);
            ObjectNode annotations = fresh.with("metadata").with("annotations");
            annotations.put(ANN_BIND_COMPLETED, "yes");
            if (byController) {
              annotations.put(ANN_BOUND_BY_CONTROLLER, "yes");
            }
            return fresh;
          });
    }
    if (!PersistentVolumeClaimStatus.BOUND.equals(claim.status().phase())
        || !claim.status().capacity().equals(volume.spec().capacity())) {
      claimPhase(claim, PersistentVolumeClaimStatus.BOUND, volumeName);
    }
  }

  /** Sets the claim's phase; Bound also copies the volume's access modes and capacity into the status. */
  private void claimPhase(PersistentVolumeClaim claim, String phase, String volumeName) {
    ObjectNode volume = volumeName == null ? null : client.get(ResourceTypes.PERSISTENT_VOLUMES, null, volumeName);
    client.modifyStatus(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim.metadata().namespace(),
        claim.metadata().name(), fresh -> {
          ObjectNode status = fresh.with("status");
          status.put("phase", phase);
          if (volume != null) {
            status.set("accessModes", volume.path("spec").path("accessModes").deepCopy());
            status.set("capacity", volume.path("spec").path("capacity").deepCopy());
          }
          return fresh;
        });
  }

  /**
   * The pvc-protection controller's part: a claim being deleted keeps its finalizer while a pod that is not finished
   * uses it, so that its volume (and a Delete policy's data) stays until the last pod is gone.
   */
  private void releaseProtection(PersistentVolumeClaim claim) {
    if (!claim.metadata().hasFinalizer(PVC_PROTECTION) || !users(claim).isEmpty()) {
      return;
    }
    client.modify(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim.metadata().namespace(), claim.metadata().name(),
        fresh -> Finalizers.remove(fresh, PVC_PROTECTION) ? fresh : null);
  }

  /** The pods of the claim's namespace that use it and have not finished. */
  private List<Pod> users(PersistentVolumeClaim claim) {
    return pods.list(claim.metadata().namespace()).stream()
        .filter(pod -> !pod.isTerminal() && claimNames(pod).contains(claim.metadata().name())).toList();
  }

  // ---- volumes

  private void syncVolume(PersistentVolume volume) throws IOException {
    String name = volume.metadata().name();
    if (volume.metadata().isDeleting()) {
      releaseVolumeProtection(volume);
      return;
    }
    if (!volume.metadata().hasFinalizer(PV_PROTECTION)) {
      client.modify(ResourceTypes.PERSISTENT_VOLUMES, null, name, fresh -> {
        if (Finalizers.has(fresh, PV_PROTECTION) || fresh.path("metadata").has("deletionTimestamp")) {
          return null;
        }
        fresh.with("metadata").withArray("finalizers").add(PV_PROTECTION);
        return fresh;
      });
    }
    ObjectReference claimRef = volume.spec().claimRef();
    if (claimRef == null) {
      volumePhase(volume.metadata().name(), PersistentVolumeStatus.AVAILABLE, "");
      return;
    }
    PersistentVolumeClaim claim = claims.get(claimRef.namespace(), claimRef.name()).orElse(null);
    if (claimRef.uid().isEmpty()) {
      // pre-bound by the administrator to a claim (that may not exist yet): available to that claim only
      volumePhase(volume.metadata().name(), PersistentVolumeStatus.AVAILABLE, "");
      return;
    }
    if (claim != null && claim.metadata().uid().equals(claimRef.uid())) {
      if (claim.spec().volumeName().equals(volume.metadata().name())) {
        volumePhase(volume.metadata().name(), PersistentVolumeStatus.BOUND, "");
      } else if (claim.spec().volumeName().isEmpty()) {
        // the claim's side of the binding is still to be written (its reconcile does it)
        volumePhase(volume.metadata().name(), PersistentVolumeStatus.AVAILABLE, "");
      }
      return;
    }
    // the claim is gone (or replaced by another of the same name): the volume is released and reclaimed
    if (!PersistentVolumeStatus.RELEASED.equals(volume.status().phase())
        && !PersistentVolumeStatus.FAILED.equals(volume.status().phase())) {
      volumePhase(volume.metadata().name(), PersistentVolumeStatus.RELEASED, "");
    }
    reclaim(volume);
  }

  /**
   * The pv-protection controller's part: a deleted volume keeps its finalizer while a claim is bound to it; once none
   * is, a volume this provisioner made under the Delete policy loses its directory (as the reclaim would have), and
   * the finalizer goes.
   */
  private void releaseVolumeProtection(PersistentVolume volume) throws IOException {
    if (!volume.metadata().hasFinalizer(PV_PROTECTION)) {
      return;
    }
    ObjectReference claimRef = volume.spec().claimRef();
    if (claimRef != null && !claimRef.uid().isEmpty()) {
      PersistentVolumeClaim claim = claims.get(claimRef.namespace(), claimRef.name()).orElse(null);
      if (claim != null && claim.metadata().uid().equals(claimRef.uid())
          && claim.spec().volumeName().equals(volume.metadata().name())) {
        return;
      }
    }
    if (PersistentVolumeSpec.DELETE.equals(volume.spec().persistentVolumeReclaimPolicy())
        && LocalPathProvisioner.NAME.equals(volume.metadata().annotations().get(ANN_PROVISIONED_BY))
        && volume.spec().hostPath() != null) {
      provisioner.deleteDirectory(volume.spec().hostPath().path());
    }
    client.modify(ResourceTypes.PERSISTENT_VOLUMES, null, volume.metadata().name(),
        fresh -> Finalizers.remove(fresh, PV_PROTECTION) ? fresh : null);
  }

  private void reclaim(PersistentVolume volume) throws IOException {
    String name = volume.metadata().name();
    String policy = volume.spec().persistentVolumeReclaimPolicy();
    if (PersistentVolumeSpec.RETAIN.equals(policy)) {
      return;
    }
    if (!PersistentVolumeSpec.DELETE.equals(policy)) {
      failVolume(volume, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
      return;
    }
    boolean ours = LocalPathProvisioner.NAME.equals(volume.metadata().annotations().get(ANN_PROVISIONED_BY));
    if (!ours || volume.spec().hostPath() == null || !provisioner.deleteDirectory(volume.spec().hostPath().path())) {
      failVolume(volume, "VolumeFailedDelete", "error getting deleter volume plugin for volume \"" + name
          + "\": no deletable volume plugin matched");
      return;
    }
    client.deleteIfExists(ResourceTypes.PERSISTENT_VOLUMES, null, name, DeleteOptions.DEFAULT);
  }

  private void failVolume(PersistentVolume volume, String reason, String message) {
    if (PersistentVolumeStatus.FAILED.equals(volume.status().phase())) {
      return;
    }
    volumePhase(volume.metadata().name(), PersistentVolumeStatus.FAILED, message);
    events.warning(ObjectReference.to("v1", "PersistentVolume", volume.metadata()), reason, message);
  }

  /** Sets a volume's phase (and message) when it differs, stamping lastPhaseTransitionTime as the apiserver does. */
  private void volumePhase(String name, String phase, String message) {
    PersistentVolume current = volumes.get(null, name).orElse(null);
    if (current != null && phase.equals(current.status().phase()) && message.equals(current.status().message())) {
      return;
    }
    client.modifyStatus(ResourceTypes.PERSISTENT_VOLUMES, null, name, fresh -> {
      ObjectNode status = fresh.with("status");
      if (phase.equals(status.path("phase").asText()) && message.equals(status.path("message").asText())) {
        return null;
      }
      status.put("phase", phase);
      if (message.isEmpty()) {
        status.remove("message");
      } else {
        status.put("message", message);
      }
      return fresh;
    });
  }

  // ---- helpers

  /** Sets a volume spec's claimRef to the claim (GetReference of the claim: kind, name, uid, resourceVersion). */
  static void putClaimRef(ObjectNode spec, PersistentVolumeClaim claim) {
    ObjectNode claimRef = spec.putObject("claimRef");
    claimRef.put("kind", "PersistentVolumeClaim");
    claimRef.put("namespace", claim.metadata().namespace());
    claimRef.put("name", claim.metadata().name());
    claimRef.put("uid", claim.metadata().uid());
    claimRef.put("apiVersion", "v1");
    claimRef.put("resourceVersion", claim.metadata().resourceVersion());
  }

  private static boolean isBoundTo(PersistentVolume volume, PersistentVolumeClaim claim) {
    ObjectReference claimRef = volume.spec().claimRef();
    return claimRef != null && refersTo(volume, claim)
        && (claimRef.uid().isEmpty() || claimRef.uid().equals(claim.metadata().uid()));
  }

  private static boolean refersTo(PersistentVolume volume, PersistentVolumeClaim claim) {
    ObjectReference claimRef = volume.spec().claimRef();
    return claimRef != null && claimRef.name().equals(claim.metadata().name())
        && claimRef.namespace().equals(claim.metadata().namespace());
  }

  /** The claims a pod's volumes name. */
  static List<String> claimNames(Pod pod) {
    return pod.spec().volumes().stream().map(Volume::persistentVolumeClaim).filter(source -> source != null)
        .map(source -> source.claimName()).toList();
  }

  private static ObjectReference reference(PersistentVolumeClaim claim) {
    return ObjectReference.to("v1", "PersistentVolumeClaim", claim.metadata());
  }
}

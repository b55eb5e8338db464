package io.minicluster.controller.volume;

import io.minicluster.api.core.ObjectReference;
import io.minicluster.api.core.PersistentVolume;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.core.PersistentVolumeStatus;
import io.minicluster.api.resource.Quantity;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which volume a claim binds to (persistentvolume's findMatchingVolume): a volume pre-bound to the claim wins;
 * otherwise the smallest available volume of the claim's class whose capacity, access modes, volume mode and labels
 * (the claim's selector) satisfy it.
 */
final class VolumeMatch {
  private VolumeMatch() {}

  static Optional<PersistentVolume> best(List<PersistentVolume> volumes, PersistentVolumeClaim claim) {
    Optional<PersistentVolume> preBound = volumes.stream()
        .filter(volume -> preBoundTo(volume, claim) && mismatch(volume, claim) == null).findFirst();
    if (preBound.isPresent()) {
      return preBound;
    }
    return volumes.stream()
        .filter(volume -> volume.spec().claimRef() == null && !volume.metadata().isDeleting()
            && PersistentVolumeStatus.AVAILABLE.equals(volume.status().phase()))
        .filter(volume -> mismatch(volume, claim) == null)
        .min(Comparator.comparing(VolumeMatch::size));
  }

  /** Why the volume cannot serve the claim, or null when it can. */
  static String mismatch(PersistentVolume volume, PersistentVolumeClaim claim) {
    String claimClass = claim.spec().storageClassName() == null ? "" : claim.spec().storageClassName();
    if (!claimClass.equals(volume.spec().storageClassName())) {
      return "storageClassName does not match";
    }
    String claimMode = claim.spec().volumeMode() == null ? "Filesystem" : claim.spec().volumeMode();
    String volumeMode = volume.spec().volumeMode() == null ? "Filesystem" : volume.spec().volumeMode();
    if (!claimMode.equals(volumeMode)) {
      return "incompatible volumeMode";
    }
    Quantity requested = claim.spec().resources().requests().get("storage");
    if (requested != null && size(volume).compareTo(requested) < 0) {
      return "requested PV is too small";
    }
    if (!volume.spec().accessModes().containsAll(claim.spec().accessModes())) {
      return "incompatible accessMode";
    }
    if (claim.spec().selector() != null
        && !claim.spec().selector().toSelector().matches(volume.metadata().labels())) {
      return "volume labels do not match the claim's selector";
    }
    return null;
  }

  private static boolean preBoundTo(PersistentVolume volume, PersistentVolumeClaim claim) {
    ObjectReference claimRef = volume.spec().claimRef();
    return claimRef != null && !volume.metadata().isDeleting()
        && claimRef.name().equals(claim.metadata().name())
        && claimRef.namespace().equals(claim.metadata().namespace())
        && (claimRef.uid().isEmpty() || claimRef.uid().equals(claim.metadata().uid()));
  }

  private static Quantity size(PersistentVolume volume) {
    Quantity size = volume.spec().capacity().get("storage");
    return size == null ? Quantity.ZERO : size;
  }
}

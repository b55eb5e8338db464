package io.minicluster.api.meta;

/**
 * metav1.DeleteOptions.
 *
 * @param gracePeriodSeconds null = the object's default
 * @param propagationPolicy Orphan, Background, Foreground, or null for the kind's default
 * @param preconditionUid required current uid, or null
 * @param preconditionResourceVersion required current resourceVersion, or null
 * @param dryRun dryRun=All
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
    String preconditionResourceVersion, boolean dryRun) {
  public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);

  public static DeleteOptions immediate() {
    return new DeleteOptions(0L, null, null, null, false);
  }

  public DeleteOptions withPreconditionUid(String uid) {
    return new DeleteOptions(gracePeriodSeconds, propagationPolicy, uid, preconditionResourceVersion, dryRun);
  }

  public DeleteOptions withPreconditionResourceVersion(String resourceVersion) {
    return new DeleteOptions(gracePeriodSeconds, propagationPolicy, preconditionUid, resourceVersion, dryRun);
  }
}

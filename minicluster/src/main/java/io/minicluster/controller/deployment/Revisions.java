package io.minicluster.controller.deployment;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The revision annotations of a Deployment's new ReplicaSet (SetNewReplicaSetAnnotations): it carries the highest
 * revision, and a ReplicaSet that becomes the new one again (a rollback, {@code kubectl rollout undo}) keeps the
 * revisions it had before in {@code deployment.kubernetes.io/revision-history}, oldest first.
 */
final class Revisions {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  /** The longest revision history the controller writes (maxRevHistoryLengthInChars): the oldest entries go. */
  static final int MAX_HISTORY_CHARS = 2000;

  private Revisions() {}

  /**
   * The annotations of an existing new ReplicaSet: the deployment's copied annotations, and the new revision when
   * its own is lower (the old one then joins the history). Unchanged when its revision is not a number.
   *
   * @param annotations the ReplicaSet's annotations now
   * @param copied the deployment's annotations a ReplicaSet carries
   * @param newRevision one more than the highest revision of the old ReplicaSets
   */
  static Map<String, String> newReplicaSetAnnotations(Map<String, String> annotations, Map<String, String> copied,
      long newRevision) {
    requireNonNull(annotations, "annotations is null");
    requireNonNull(copied, "copied is null");
    String oldRevision = annotations.get(REVISION);
    long oldValue = 0;
    if (oldRevision != null && !oldRevision.isEmpty()) {
      try {
        oldValue = Long.parseLong(oldRevision);
      } catch (NumberFormatException e) {
        return annotations;
      }
    }
    Map<String, String> result = new LinkedHashMap<>(annotations);
    result.putAll(copied);
    if (oldValue < newRevision) {
      result.put(REVISION, Long.toString(newRevision));
      if (oldRevision != null) {
        String history = withRevision(annotations.getOrDefault(REVISION_HISTORY, ""), oldRevision);
        if (history != null) {
          result.put(REVISION_HISTORY, history);
        }
      }
    }
    return result;
  }

  /** The history with the revision appended, dropping the oldest entries past the limit; null to leave it. */
  private static String withRevision(String history, String revision) {
    List<String> entries = new ArrayList<>(Arrays.asList(history.split(",", -1)));
    if (entries.get(0).isEmpty()) {
      return revision;
    }
    int length = history.length() + revision.length() + 1;
    int start = 0;
    while (length > MAX_HISTORY_CHARS && start < entries.size()) {
      length -= entries.get(start).length() + 1;
      start++;
    }
    if (length > MAX_HISTORY_CHARS) {
      return null;
    }
    List<String> kept = new ArrayList<>(entries.subList(start, entries.size()));
    kept.add(revision);
    return String.join(",", kept);
  }
}

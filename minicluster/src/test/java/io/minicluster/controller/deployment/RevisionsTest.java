package io.minicluster.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {
  private static final String REVISION = "deployment.kubernetes.io/revision";
  private static final String HISTORY = "deployment.kubernetes.io/revision-history";

  @Test
  void aReplicaSetThatBecomesNewAgainRemembersItsEarlierRevisions() {
    Map<String, String> undone = Revisions.newReplicaSetAnnotations(Map.of(REVISION, "1"), Map.of(), 3);
    assertThat(undone).containsExactlyInAnyOrderEntriesOf(Map.of(REVISION, "3", HISTORY, "1"));
    Map<String, String> again = Revisions.newReplicaSetAnnotations(undone, Map.of(), 5);
    assertThat(again).containsExactlyInAnyOrderEntriesOf(Map.of(REVISION, "5", HISTORY, "1,3"));
  }

  @Test
  void theCurrentRevisionOrAHigherOneStaysAndTheDeploymentsAnnotationsAreCopied() {
    Map<String, String> current = Map.of(REVISION, "4", HISTORY, "2", "team", "old");
    assertThat(Revisions.newReplicaSetAnnotations(current, Map.of(), 4)).isEqualTo(current);
    // old ReplicaSets were deleted after this one got its revision: it keeps the higher one
    assertThat(Revisions.newReplicaSetAnnotations(current, Map.of("team", "new"), 2))
        .containsExactlyInAnyOrderEntriesOf(Map.of(REVISION, "4", HISTORY, "2", "team", "new"));
  }

  @Test
  void aReplicaSetWithoutARevisionGetsOneAndNoHistory() {
    assertThat(Revisions.newReplicaSetAnnotations(Map.of(), Map.of(), 1))
        .containsExactlyInAnyOrderEntriesOf(Map.of(REVISION, "1"));
  }

  @Test
  void aRevisionThatIsNotANumberIsLeftAlone() {
    Map<String, String> current = Map.of(REVISION, "x");
    assertThat(Revisions.newReplicaSetAnnotations(current, Map.of("team", "a"), 7)).isEqualTo(current);
  }

  @Test
  void theHistoryDropsItsOldestEntriesPastTwoThousandCharacters() {
    // 499 entries of "1000" with their commas: 2494 characters is over the limit already
    String history = String.join(",", Collections.nCopies(499, "1000"));
    Map<String, String> annotations = Revisions.newReplicaSetAnnotations(Map.of(REVISION, "2000", HISTORY, history),
        Map.of(), 3000);
    String kept = annotations.get(HISTORY);
    assertThat(kept.length()).isLessThanOrEqualTo(2000);
    assertThat(kept).endsWith(",1000,2000").startsWith("1000,");
    assertThat(kept.split(",")).hasSize(400);
  }
}

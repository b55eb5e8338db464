package io.minicluster.controller.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.apps.ControllerRevision;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.FakeClient;
import io.minicluster.client.SharedInformers;
import io.minicluster.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerHistoryTest {
  private final FakeClient client = new FakeClient();
  private final ControllerHistory history = new ControllerHistory(client, new SharedInformers(client),
      ResourceTypes.STATEFUL_SETS);
  private final ObjectMeta parent = ObjectMeta.of(client.create(ResourceTypes.STATEFUL_SETS, "default",
      Json.parseObject("{\"metadata\":{\"name\":\"web\",\"annotations\":{\"kubernetes.io/change-cause\":\"x\"}}}")));

  private static ObjectNode template(String image) {
    return Json.parseObject("{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}");
  }

  private List<ControllerRevision> stored() {
    List<ControllerRevision> revisions = new ArrayList<>(client.list(ResourceTypes.CONTROLLER_REVISIONS, "default",
        ListOptions.ALL).items().stream().map(ControllerRevision::from).toList());
    revisions.sort(ControllerHistory.BY_REVISION);
    return revisions;
  }

  @Test
  void theDataIsTheReplacePatchOfTheTemplateAndGivesItBack() {
    ObjectNode data = ControllerHistory.patch(template("busybox:1"));
    assertThat(data.at("/spec/template/$patch").asText()).isEqualTo("replace");
    ControllerRevision revision = history.snapshot(parent, Map.of("app", "web"), data, List.of(), null).revision();
    assertThat(ControllerHistory.template(revision)).isEqualTo(template("busybox:1"));
  }

  @Test
  void aSnapshotIsNamedByTheHashOfItsDataLabelledAndOwned() {
    ObjectNode data = ControllerHistory.patch(template("busybox:1"));
    ControllerHistory.Snapshot snapshot = history.snapshot(parent, Map.of("app", "web"), data, List.of(), null);
    String hash = ControllerHistory.hash(data, null);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(snapshot.revision().metadata().name()).isEqualTo("web-" + hash);
    assertThat(snapshot.revision().revision()).isEqualTo(1);
    assertThat(snapshot.revision().metadata().labels()).containsEntry("app", "web")
        .containsEntry(ControllerHistory.HASH_LABEL, hash);
    assertThat(snapshot.revision().metadata().annotations()).containsEntry("kubernetes.io/change-cause", "x");
    assertThat(snapshot.revision().metadata().controllerRef()).hasValueSatisfying(reference ->
        assertThat(reference.uid()).isEqualTo(parent.uid()));
    assertThat(snapshot.collisionCount()).isNull();
    // the same data again is the same revision, with no write
    List<ControllerRevision> owned = stored();
    int calls = client.calls().size();
    assertThat(history.snapshot(parent, Map.of("app", "web"), data, owned, null).revision())
        .isEqualTo(snapshot.revision());
    assertThat(client.calls()).hasSize(calls);
  }

  @Test
  void aNameTakenByOtherDataRaisesTheCollisionCount() {
    ObjectNode data = ControllerHistory.patch(template("busybox:1"));
    client.create(ResourceTypes.CONTROLLER_REVISIONS, "default", Json.parseObject("{\"metadata\":{\"name\":\"web-"
        + ControllerHistory.hash(data, null) + "\"},\"revision\":7,\"data\":{\"other\":true}}"));
    ControllerHistory.Snapshot snapshot = history.snapshot(parent, Map.of(), data, List.of(), null);
    assertThat(snapshot.collisionCount()).isEqualTo(1);
    assertThat(snapshot.revision().metadata().name()).isEqualTo("web-" + ControllerHistory.hash(data, 1));
    assertThat(ControllerHistory.hash(data, 1)).isNotEqualTo(ControllerHistory.hash(data, null));
  }

  @Test
  void aRollbackRenumbersTheOldRevisionInsteadOfCreatingOne() {
    ObjectNode first = ControllerHistory.patch(template("busybox:1"));
    ObjectNode second = ControllerHistory.patch(template("busybox:2"));
    history.snapshot(parent, Map.of(), first, List.of(), null);
    history.snapshot(parent, Map.of(), second, stored(), null);
    ControllerRevision back = history.snapshot(parent, Map.of(), first, stored(), null).revision();
    assertThat(back.metadata().name()).isEqualTo("web-" + ControllerHistory.hash(first, null));
    assertThat(back.revision()).isEqualTo(3);
    assertThat(stored()).extracting(ControllerRevision::revision).containsExactly(2L, 3L);
  }

  @Test
  void truncateDeletesTheOldestRevisionsNotInUsePastTheLimit() {
    for (int image = 1; image <= 4; image++) {
      history.snapshot(parent, Map.of(), ControllerHistory.patch(template("busybox:" + image)), stored(), null);
    }
    String inUse = stored().get(0).metadata().name();
    String newest = stored().get(3).metadata().name();
    history.truncate(stored(), revision -> revision.metadata().name().equals(inUse)
        || revision.metadata().name().equals(newest), 1);
    // revisions 2 and 3 are old and unused: the limit of 1 keeps 3
    assertThat(stored()).extracting(ControllerRevision::revision).containsExactly(1L, 3L, 4L);
  }

  @Test
  void revisionNamesCutLongParentNames() {
    assertThat(ControllerHistory.name("a".repeat(300), "hash")).isEqualTo("a".repeat(223) + "-hash");
  }
}

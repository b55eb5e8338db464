package io.minicluster.api.meta;

import static io.minicluster.api.meta.ReadModelFixtures.assertDeeplyImmutable;
import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectMetaTest {

  @Test
  void decodesEveryFieldOfStoredMetadata() {
    ObjectMeta meta = ObjectMeta.of(fixture("core/pod.json"));

    assertThat(meta.name()).isEqualTo("web-7d4b9c8f6-x2k9p");
    assertThat(meta.generateName()).isEqualTo("web-7d4b9c8f6-");
    assertThat(meta.namespace()).isEqualTo("default");
    assertThat(meta.uid()).isEqualTo("372957bb-e590-4435-97d9-fb010df2bbe6");
    assertThat(meta.resourceVersion()).isEqualTo("4");
    assertThat(meta.generation()).isEqualTo(1);
    assertThat(meta.creationTimestamp()).isEqualTo(Instant.parse("2026-12-07T08:48:18Z"));
    assertThat(meta.deletionTimestamp()).isNull();
    assertThat(meta.deletionGracePeriodSeconds()).isNull();
    assertThat(meta.labels()).isEqualTo(Map.of("app", "web", "pod-template-hash", "7d4b9c8f6"));
    assertThat(meta.annotations()).isEqualTo(Map.of("example.com/owner", "team-a"));
    assertThat(meta.ownerReferences()).containsExactly(new OwnerReference("apps/v1", "ReplicaSet", "web-7d4b9c8f6",
        "5f0c1f1e-2b7a-4d2e-9f61-0a4c2f7b9e11", true, true));
    assertThat(meta.finalizers()).containsExactly("example.com/cleanup");
    assertThat(meta.key()).isEqualTo("default/web-7d4b9c8f6-x2k9p");
    assertThat(meta.isDeleting()).isFalse();
    assertThat(meta.hasFinalizer("example.com/cleanup")).isTrue();
  }

  @Test
  void findsTheControllerReference() {
    ObjectMeta meta = ObjectMeta.from(Json.parseObject("{\"ownerReferences\":["
        + "{\"kind\":\"A\",\"name\":\"a\",\"uid\":\"1\"},"
        + "{\"kind\":\"B\",\"name\":\"b\",\"uid\":\"2\",\"controller\":false},"
        + "{\"kind\":\"C\",\"name\":\"c\",\"uid\":\"3\",\"controller\":true}]}"));

    assertThat(meta.controllerRef()).map(OwnerReference::name).contains("c");
    assertThat(meta.ownerReferences().get(0).controller()).isNull();
    assertThat(meta.ownerReferences().get(1).isController()).isFalse();
    assertThat(ObjectMeta.EMPTY.controllerRef()).isEmpty();
  }

  @Test
  void deletionFields() {
    ObjectMeta meta = ObjectMeta.from(Json.parseObject(
        "{\"name\":\"n\",\"deletionTimestamp\":\"2026-12-07T09:00:00Z\",\"deletionGracePeriodSeconds\":0}"));

    assertThat(meta.isDeleting()).isTrue();
    assertThat(meta.deletionGracePeriodSeconds()).isZero();
    assertThat(meta.key()).isEqualTo("n");
  }

  @Test
  void absentMetadataIsEmpty() {
    assertThat(ObjectMeta.of(Json.object())).isSameAs(ObjectMeta.EMPTY);
    assertThat(ObjectMeta.from(null)).isSameAs(ObjectMeta.EMPTY);
    ObjectMeta meta = ObjectMeta.from(Json.object());
    assertThat(meta).isEqualTo(ObjectMeta.EMPTY);
    assertThat(meta.name()).isEmpty();
    assertThat(meta.labels()).isEmpty();
    assertThat(meta.ownerReferences()).isEmpty();
    assertThat(meta.creationTimestamp()).isNull();
  }

  @Test
  void collectionsCannotBeModifiedNorChangedThroughTheConstructorsArguments() {
    assertThat(assertDeeplyImmutable(ObjectMeta.of(fixture("core/pod.json")))).isEqualTo(4);
    Map<String, String> labels = new HashMap<>(Map.of("a", "b"));
    List<String> finalizers = new ArrayList<>(List.of("f"));
    ObjectMeta meta = new ObjectMeta("n", "", "", "", "", 0, null, null, null, labels, Map.of(), List.of(),
        finalizers);
    labels.put("c", "d");
    finalizers.clear();

    assertThat(meta.labels()).isEqualTo(Map.of("a", "b"));
    assertThat(meta.finalizers()).containsExactly("f");
  }
}

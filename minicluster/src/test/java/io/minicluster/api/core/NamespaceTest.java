package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NamespaceTest {

  @Test
  void decodesATerminatingNamespace() {
    Namespace namespace = Namespace.from(fixture("core/namespace.json"));

    assertThat(namespace.metadata().name()).isEqualTo("team-a");
    assertThat(namespace.metadata().namespace()).isEmpty();
    assertThat(namespace.metadata().key()).isEqualTo("team-a");
    assertThat(namespace.metadata().isDeleting()).isTrue();
    assertThat(namespace.metadata().deletionTimestamp()).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
    assertThat(namespace.spec().finalizers()).containsExactly("kubernetes");
    assertThat(namespace.status().phase()).isEqualTo("Terminating");
    assertThat(namespace.status().condition("NamespaceContentRemaining").orElseThrow().reason())
        .isEqualTo("SomeResourcesRemain");
  }

  @Test
  void anEmptyObjectDecodesToZeroValues() {
    Namespace namespace = Namespace.from(Json.object());

    assertThat(namespace.spec().finalizers()).isEmpty();
    assertThat(namespace.status().phase()).isEmpty();
  }
}

package io.minicluster.api.core;

import static io.minicluster.api.meta.ReadModelFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapAndSecretTest {

  @Test
  void decodesConfigMapData() {
    ConfigMap configMap = ConfigMap.from(fixture("core/configmap.json"));

    assertThat(configMap.data()).isEqualTo(Map.of("level", "debug", "nginx.conf", "server {}"));
    assertThat(configMap.binaryData()).isEqualTo(Map.of("blob", "AAEC"));
    assertThat(configMap.immutable()).isNull();
  }

  @Test
  void decodesSecretDataAndKeepsItOutOfToString() {
    Secret secret = Secret.from(fixture("core/secret.json"));

    assertThat(secret.type()).isEqualTo("Opaque");
    assertThat(secret.data()).isEqualTo(Map.of("password", "czNjcjN0"));
    assertThat(secret.stringData()).isEmpty();
    assertThat(secret.toString()).contains("password").doesNotContain("czNjcjN0");
  }

  @Test
  void emptyObjects() {
    assertThat(ConfigMap.from(Json.object()).data()).isEmpty();
    assertThat(Secret.from(Json.object()).type()).isEmpty();
  }
}

package io.minicluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodsBenchTest {
  @Test
  void podManifestNeverPullsAndStopsQuickly() {
    ObjectNode pod = PodsBench.podManifest("pod-7");

    assertThat(Json.textOrNull(pod, "metadata", "name")).isEqualTo("pod-7");
    assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(1);
    assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo(PodsBench.IMAGE);
    assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(pod.at("/spec/containers/0/command").toString()).isEqualTo("[\"sleep\",\"3600\"]");
  }

  @Test
  void goalIsMetAtTheLimitAndNotAboveOrWhenUnmeasured() {
    assertThat(new PodsBench.Goal("x", 200, 200, "MB").met()).isTrue();
    assertThat(new PodsBench.Goal("x", 200.1, 200, "MB").met()).isFalse();
    assertThat(new PodsBench.Goal("x", Double.NaN, 200, "MB").met()).isFalse();
  }

  @Test
  void optionsNeedEnoughLoadedPodsForTheMeasuredOnes() {
    assertThatThrownBy(() -> new PodsBench.Options(Path.of("/tmp/x"), 50, 2, 51, null, List.of(), false, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new PodsBench.Options(Path.of("/tmp/x"), 50, 2, 100, null, List.of("-Xmx1g"), false, false)
        .jvmOptions()).containsExactly("-Xmx1g");
  }

  @Test
  void recommendedOptionsBoundHeapAndUseSerialCollector() {
    assertThat(PodsBench.RECOMMENDED_JVM_OPTIONS).anyMatch(option -> option.startsWith("-Xmx"))
        .contains("-XX:+UseSerialGC");
  }
}

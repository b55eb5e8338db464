package io.minicluster.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.JsonValues;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodResourcesTest {

  static String container(String cpu, String restartPolicy) {
    return "{\"name\":\"c\",\"image\":\"x\"" + (restartPolicy == null ? "" : ",\"restartPolicy\":\"" + restartPolicy
        + "\"") + ",\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"}}}";
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("sum of containers", "{\"containers\":[" + container("100m", null) + "," + container("250m", null)
            + "]}", 350),
        Arguments.of("largest init container wins", "{\"initContainers\":[" + container("1", null) + ","
            + container("300m", null) + "],\"containers\":[" + container("200m", null) + "]}", 1000),
        Arguments.of("containers win over smaller init", "{\"initContainers\":[" + container("100m", null)
            + "],\"containers\":[" + container("200m", null) + "]}", 200),
        Arguments.of("sidecar adds to containers and to later init containers", "{\"initContainers\":["
            + container("100m", "Always") + "," + container("500m", null) + "],\"containers\":["
            + container("200m", null) + "]}", 600),
        Arguments.of("sidecar plus containers", "{\"initContainers\":[" + container("300m", "Always")
            + "],\"containers\":[" + container("200m", null) + "]}", 500),
        Arguments.of("overhead added", "{\"overhead\":{\"cpu\":\"50m\"},\"containers\":[" + container("200m", null)
            + "]}", 250));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cpuRequests(String title, String spec, long milliCpu) {
    Pod pod = Pod.from(Json.parseObject("{\"spec\":" + spec + "}"));

    assertThat(PodResources.requests(pod).milliCpu()).isEqualTo(milliCpu);
  }

  @Test
  void nonZeroRequestsDefaultMissingCpuAndMemory() {
    Resources resources = PodResources.nonZeroRequests(Pod.from(Json.parseObject(
        "{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"b\",\"image\":\"x\","
            + "\"resources\":{\"requests\":{\"memory\":\"1Gi\"}}}]}}")));

    assertThat(resources.milliCpu()).isEqualTo(200);
    assertThat(resources.memory()).isEqualTo(200L * 1024 * 1024 + 1024L * 1024 * 1024);
  }

  @Test
  void allocatableListParsesQuantities() {
    Map<String, Quantity> list = JsonValues.quantities(Json.parseObject("{\"allocatable\":{\"cpu\":\"1500m\","
        + "\"memory\":\"16393852Ki\",\"ephemeral-storage\":\"10G\",\"pods\":\"110\"}}"), "allocatable");
    Resources resources = PodResources.fromList(list);

    assertThat(resources.milliCpu()).isEqualTo(1500);
    assertThat(resources.memory()).isEqualTo(16393852L * 1024);
    assertThat(resources.ephemeralStorage()).isEqualTo(10_000_000_000L);
    assertThat(PodResources.podCount(list)).isEqualTo(110);
    assertThat(PodResources.podCount(Map.of())).isZero();
  }
}

package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import io.minicluster.service.Launcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Responses larger than the daemon's direct memory, with the packaged JVM options
 * ({@code -XX:MaxDirectMemorySize=32m}): 48 ConfigMaps of 900 KB make a 43 MB list and a 43 MB delete-collection answer. Written at once, such a body sat in
 * the outbound buffer as direct memory and the connection was dropped mid-body (kubectl: {@code unexpected EOF}).
 */
class LargeResponsesIT {
  private static final int CONFIG_MAPS = 48;
  private static final int VALUE_BYTES = 900 * 1024;

  @Test
  void listsAndDeleteCollectionsLargerThanTheDirectMemoryArriveWhole(@TempDir Path temp) throws Exception {
    List<String> jvm = new ArrayList<>(Launcher.DAEMON_JVM_OPTIONS);
    jvm.add("-Xmx512m");
    try (DaemonProcess daemon = new DaemonProcess(temp.resolve("data"), jvm, List.of(
        "--no-node-agent", "--no-service-proxy", "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      String value = "x".repeat(VALUE_BYTES);
      for (int i = 0; i < CONFIG_MAPS; i++) {
        kubectl.runWithInput("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big-" + i
            + "\",\"labels\":{\"size\":\"big\"}},\"data\":{\"v\":\"" + value + "\"}}", "create", "-f", "-")
            .assertOk();
      }

      Kubectl.Result list = kubectl.run(List.of("get", "configmaps", "-l", "size=big", "-o", "json"), null, Map.of(),
          120);
      list.assertOk();
      assertThat(list.stdout().length()).isGreaterThan(CONFIG_MAPS * VALUE_BYTES);
      JsonNode items = Json.parse(list.stdout().getBytes(StandardCharsets.UTF_8)).get("items");
      assertThat(items).hasSize(CONFIG_MAPS);
      assertThat(items.get(CONFIG_MAPS - 1).at("/data/v").asText()).hasSize(VALUE_BYTES);

      Kubectl.Result deleted = kubectl.run(List.of("delete", "--raw",
          "/api/v1/namespaces/default/configmaps?labelSelector=size%3Dbig"), null, Map.of(), 120);
      deleted.assertOk();
      assertThat(Json.parse(deleted.stdout().getBytes(StandardCharsets.UTF_8)).get("items"))
          .hasSize(CONFIG_MAPS);
      assertThat(kubectl.run("get", "configmaps", "-l", "size=big", "-o", "name").assertOk().stdout()).isEmpty();
    }
  }
}

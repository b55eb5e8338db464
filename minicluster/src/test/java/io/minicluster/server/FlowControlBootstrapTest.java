package io.minicluster.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowControlBootstrapTest {
  @TempDir
  Path directory;

  @Test
  void createsTheBootstrapObjectsOnceEachSchemaFindingItsLevel() throws Exception {
    try (InProcessApi api = InProcessApi.open(directory, Clock.systemUTC())) {
      new FlowControlBootstrap(api.registries(), Clock.systemUTC(), ApiserverWrites.UNTRACKED).run();
      new FlowControlBootstrap(api.registries(), Clock.systemUTC(), ApiserverWrites.UNTRACKED).run();

      List<ObjectNode> levels = api.client().list(ResourceTypes.PRIORITY_LEVEL_CONFIGURATIONS, null, ListOptions.ALL)
          .items();
      List<ObjectNode> schemas = api.client().list(ResourceTypes.FLOW_SCHEMAS, null, ListOptions.ALL).items();
      assertThat(levels).extracting(level -> level.at("/metadata/name").asText()).containsExactlyInAnyOrder(
          "exempt", "catch-all", "system", "node-high", "leader-election", "workload-high", "workload-low",
          "global-default");
      assertThat(schemas).hasSize(13);
      for (ObjectNode schema : schemas) {
        assertThat(schema.at("/status/conditions/0/type").asText()).isEqualTo("Dangling");
        assertThat(schema.at("/status/conditions/0/status").asText())
            .as(schema.at("/metadata/name").asText()).isEqualTo("False");
        assertThat(schema.at("/metadata/annotations").path(FlowControlBootstrap.AUTOUPDATE_SPEC).asText())
            .isEqualTo("true");
      }
    }
  }
}

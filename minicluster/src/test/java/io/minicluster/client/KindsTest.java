package io.minicluster.client;

import static io.minicluster.testing.ScriptedListWatch.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.testing.ScriptedListWatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KindsTest {

  @Test
  void theMetadataViewOfATypeIsOneSharedViewDecodingOnlyTheMetadata() throws Exception {
    ScriptedListWatch api = new ScriptedListWatch();
    ObjectNode configMap = object("default", "a", "{\"data\":{\"x\":\"y\"}}");
    configMap.with("metadata").putArray("finalizers").add("f");
    configMap.with("metadata").putObject("labels").put("k", "v");
    api.put(ResourceTypes.CONFIG_MAPS, configMap);
    try (SharedInformers informers = new SharedInformers(api, Duration.ofMillis(10))) {
      Informer<ObjectMeta> metadata = informers.informer(Kinds.metadata(ResourceTypes.CONFIG_MAPS));
      assertThat(informers.informer(Kinds.metadata(ResourceTypes.CONFIG_MAPS))).isSameAs(metadata);
      assertThat(Kinds.metadata(ResourceTypes.SECRETS)).isNotEqualTo(Kinds.metadata(ResourceTypes.CONFIG_MAPS));
      metadata.start();
      assertThat(metadata.waitForSync(10, TimeUnit.SECONDS)).isTrue();

      ObjectMeta a = metadata.get("default", "a").orElseThrow();
      assertThat(a.name()).isEqualTo("a");
      assertThat(a.namespace()).isEqualTo("default");
      assertThat(a.finalizers()).containsExactly("f");
      assertThat(a.labels()).containsEntry("k", "v");
    }
  }
}

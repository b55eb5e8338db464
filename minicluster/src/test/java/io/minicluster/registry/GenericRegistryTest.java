package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic write paths of the registry, on a real store with the daemon's strategies. */
class GenericRegistryTest {
  @TempDir
  Path directory;

  private InProcessApi api;
  private Client client;

  @BeforeEach
  void open() {
    api = InProcessApi.open(directory, Clock.systemUTC());
    client = api.client();
  }

  @AfterEach
  void close() {
    api.close();
  }

  private ObjectNode configMap(String name, String data) {
    return client.create(ResourceTypes.CONFIG_MAPS, "default", Json.parseObject(
        "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"" + data + "\"}}"));
  }

  @Test
  void anUpdateWithResourceVersionZeroIsUnconditionalLikeOneWithout() {
    ObjectNode created = configMap("cm", "1");
    client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      ((ObjectNode) cm.get("data")).put("k", "2");
      return cm;
    });

    ObjectNode replacement = created.deepCopy();
    Meta.metadata(replacement).put("resourceVersion", "0");
    ((ObjectNode) replacement.get("data")).put("k", "3");
    ObjectNode replaced = client.update(ResourceTypes.CONFIG_MAPS, replacement);

    assertThat(replaced.path("data").path("k").asText()).isEqualTo("3");
    ObjectNode patched = client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      Meta.metadata(cm).put("resourceVersion", "0");
      ((ObjectNode) cm.get("data")).put("k", "4");
      return cm;
    });
    assertThat(patched.path("data").path("k").asText()).isEqualTo("4");
  }

  @Test
  void anUpdateWithAStaleResourceVersionStillConflicts() {
    ObjectNode created = configMap("cm", "1");
    client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      ((ObjectNode) cm.get("data")).put("k", "2");
      return cm;
    });

    assertThatThrownBy(() -> client.update(ResourceTypes.CONFIG_MAPS, created))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
  }

  private static void assertUndecodable(Throwable thrown, String detail) {
    assertThat(thrown).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("BadRequest");
      assertThat(e.getMessage()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: " + detail);
    });
  }

  @Test
  void noWriteStoresAValueOfTheWrongType() {
    ObjectNode created = configMap("cm", "1");
    String dataError = "json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string";

    ObjectNode replacement = created.deepCopy();
    replacement.put("data", "oops");
    assertUndecodable(catchThrowable(() -> client.update(ResourceTypes.CONFIG_MAPS, replacement)), dataError);
    assertUndecodable(catchThrowable(() -> client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      Meta.metadata(cm).put("labels", "x");
      return cm;
    })), "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string");
    assertUndecodable(catchThrowable(() -> client.modifyStatus(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      cm.putArray("data");
      return cm;
    })), "json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string");
    assertThat(client.get(ResourceTypes.CONFIG_MAPS, "default", "cm")).isEqualTo(created);

    assertUndecodable(catchThrowable(() -> client.create(ResourceTypes.CONFIG_MAPS, "default",
        Json.parseObject("{\"metadata\":{\"name\":\"bad\"},\"data\":\"oops\"}"))), dataError);
    assertThat(client.find(ResourceTypes.CONFIG_MAPS, "default", "bad")).isEmpty();
  }
}

package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generic write paths of the registry, on a real store with the daemon's strategies. */
class GenericRegistryTest extends InProcessApiTest {
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

  @Test
  void pagesFollowEachOtherByContinueTokenWithTheRemainingCount() {
    for (int i = 0; i < 5; i++) {
      configMap("cm-" + i, Integer.toString(i));
    }
    client.create(ResourceTypes.CONFIG_MAPS, "other", Json.parseObject("{\"metadata\":{\"name\":\"cm-x\"}}"));
    ListOptions evenOnly = new ListOptions(cm -> Integer.parseInt(cm.path("data").path("k").asText("1")) % 2 == 0,
        2, null, "", null, false, 0);

    ObjectList first = client.list(ResourceTypes.CONFIG_MAPS, "default", evenOnly);
    ObjectList second = client.list(ResourceTypes.CONFIG_MAPS, "default", new ListOptions(evenOnly.filter(), 2,
        first.continueToken(), "", null, false, 0));

    assertThat(first.items()).extracting(Meta::name).containsExactly("cm-0", "cm-2");
    assertThat(first.continueToken()).isNotNull();
    assertThat(first.remainingItemCount()).isEqualTo(2);
    assertThat(second.items()).extracting(Meta::name).containsExactly("cm-4");
    assertThat(second.continueToken()).isNull();
    assertThat(second.resourceVersion()).isGreaterThanOrEqualTo(first.resourceVersion());
  }

  @Test
  void anObjectWithAFinalizerWaitsForItAndGoesWithTheLastOne() {
    configMap("cm", "1");
    client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      Meta.metadata(cm).putArray("finalizers").add("example.com/a").add("example.com/b");
      return cm;
    });

    GenericRegistry.DeleteResult pending = client.delete(ResourceTypes.CONFIG_MAPS, "default", "cm",
        DeleteOptions.DEFAULT);
    assertThat(pending.gone()).isFalse();
    assertThat(Meta.deleting(client.get(ResourceTypes.CONFIG_MAPS, "default", "cm"))).isTrue();
    assertThatThrownBy(() -> client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      ((ArrayNode) cm.path("metadata").path("finalizers")).add("example.com/c");
      return cm;
    })).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));

    client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      ((ArrayNode) cm.path("metadata").path("finalizers")).remove(0);
      return cm;
    });
    assertThat(client.find(ResourceTypes.CONFIG_MAPS, "default", "cm")).isPresent();
    client.modify(ResourceTypes.CONFIG_MAPS, "default", "cm", cm -> {
      Meta.metadata(cm).remove("finalizers");
      return cm;
    });

    assertThat(client.find(ResourceTypes.CONFIG_MAPS, "default", "cm")).isEmpty();
  }

  @Test
  void aWatchFromAResourceVersionSeesWhatChangedForItsSelectorOnly() throws Exception {
    ObjectNode web = configMap("web", "1");
    configMap("db", "1");
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    ListOptions webOnly = new ListOptions(cm -> cm.path("data").path("k").asText().startsWith("1"), 0, null,
        Meta.resourceVersion(client.get(ResourceTypes.CONFIG_MAPS, "default", "db")), null, false, 0);
    try (GenericRegistry.WatchHandle watch = client.watch(ResourceTypes.CONFIG_MAPS, "default", webOnly,
        new WatchSink() {
          @Override
          public void event(String type, ObjectNode object) {
            events.add(type + " " + Meta.name(object) + " " + object.path("data").path("k").asText());
          }

          @Override
          public void bookmark(long resourceVersion, boolean initialEventsEnd) {}

          @Override
          public void error(ApiException error) {
            events.add("ERROR " + error.getMessage());
          }

          @Override
          public void closed() {}
        })) {
      client.modify(ResourceTypes.CONFIG_MAPS, "default", "db", cm -> {
        ((ObjectNode) cm.get("data")).put("k", "2");
        return cm;
      });
      client.modify(ResourceTypes.CONFIG_MAPS, "default", "web", cm -> {
        ((ObjectNode) cm.get("data")).put("k", "10");
        return cm;
      });
      configMap("new", "3");
      configMap("new1", "11");
      client.delete(ResourceTypes.CONFIG_MAPS, "default", Meta.name(web), DeleteOptions.DEFAULT);

      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("event %d of %s", i, seen).isNotNull();
        seen.add(event);
      }
      assertThat(seen).containsExactly("DELETED db 2", "MODIFIED web 10", "ADDED new1 11", "DELETED web 10");
    }
  }
}

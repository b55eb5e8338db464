package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quota admission in the generic registry's write path: what a write that is then not stored took (an invalid
 * object, a name that exists) is given back, what a stored one took stays.
 */
class ResourceQuotaAdmissionRegistryTest {
  @TempDir
  Path directory;
  private InProcessApi api;
  private Client client;

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @BeforeEach
  void open() {
    AtomicReference<InProcessApi> opened = new AtomicReference<>();
    api = InProcessApi.open(directory, Clock.systemUTC(), List.of(new ResourceQuotaAdmission(
        ResourceQuotaAdmission.Quotas.of(() -> opened.get().registries().get(ResourceTypes.RESOURCE_QUOTAS)),
        Clock.systemUTC())));
    opened.set(api);
    client = api.client();
    client.create(ResourceTypes.NAMESPACES, null, json("{'metadata':{'name':'ns'}}"));
    client.create(ResourceTypes.RESOURCE_QUOTAS, "ns", json("{'metadata':{'name':'q'},'spec':{'hard':"
        + "{'pods':'2'}}}"));
    client.modifyStatus(ResourceTypes.RESOURCE_QUOTAS, "ns", "q", quota -> {
      quota.set("status", json("{'hard':{'pods':'2'},'used':{'pods':'0'}}"));
      return quota;
    });
  }

  @AfterEach
  void close() {
    api.close();
  }

  private String used() {
    return client.get(ResourceTypes.RESOURCE_QUOTAS, "ns", "q").at("/status/used/pods").asText();
  }

  private void createPod(String name, String image) {
    client.create(ResourceTypes.PODS, "ns", json("{'metadata':{'name':'" + name + "'},'spec':{'containers':"
        + "[{'name':'c','image':'" + image + "'}]}}"));
  }

  @Test
  void onlyStoredWritesKeepTheirUsage() {
    assertThatThrownBy(() -> createPod("invalid", "")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(422));
    assertThat(used()).isEqualTo("0");

    createPod("a", "busybox");
    assertThat(used()).isEqualTo("1");
    assertThatThrownBy(() -> createPod("a", "busybox")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(409));
    assertThat(used()).isEqualTo("1");

    createPod("b", "busybox");
    assertThatThrownBy(() -> createPod("c", "busybox")).hasMessage(
        "pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    assertThat(used()).isEqualTo("2");
  }

  @Test
  void anInvalidObjectGetsItsValidationErrorEvenWhenTheQuotaIsFull() {
    createPod("a", "busybox");
    createPod("b", "busybox");

    // quota admission validates, after the kind's validation: the invalid pod is told what is wrong with it
    assertThatThrownBy(() -> createPod("invalid", "")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(422));
    assertThat(used()).isEqualTo("2");
  }
}

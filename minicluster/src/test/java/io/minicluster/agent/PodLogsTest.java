package io.minicluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.apiserver.ApiRequest;
import io.minicluster.apiserver.ApiResponse;
import io.minicluster.apiserver.ResponseChannel;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.apiserver.streams.AgentPodLogs;
import io.minicluster.api.Meta;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodLogsTest {
  @TempDir
  Path directory;
  AgentHarness harness;

  /** Collects a response or a stream. */
  static final class Collector implements ResponseChannel {
    ApiResponse response;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean closed;

    @Override
    public void respond(ApiResponse value) {
      response = value;
    }

    @Override
    public Stream stream(String contentType) {
      return new Stream() {
        @Override
        public synchronized boolean write(byte[] chunk) {
          body.writeBytes(chunk);
          return true;
        }

        @Override
        public boolean writable() {
          return true;
        }

        @Override
        public void close() {
          closed = true;
        }

        @Override
        public void onClose(Runnable action) {}
      };
    }

    String text() {
      return response != null ? new String(response.body(), StandardCharsets.UTF_8)
          : body.toString(StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void setUp() {
    harness = new AgentHarness(directory);
    harness.runtime.addImage("busybox:1");
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  private Collector get(ObjectNode pod, String query) {
    Collector collector = new Collector();
    new AgentPodLogs(harness.agent.streams()).log(pod, ApiRequest.of(HttpMethod.GET, "/api/v1/namespaces/default/pods/"
        + Meta.name(pod) + "/log?" + query, new DefaultHttpHeaders(), null,
        new UserInfo("admin", List.of("system:masters"))), collector);
    return collector;
  }

  @Test
  void containerSelectionCurrentPreviousAndTail() {
    harness.createPod("""
        {"metadata":{"name":"two"},"spec":{"initContainers":[{"name":"setup","image":"busybox:1"}],
          "containers":[{"name":"a","image":"busybox:1"},{"name":"b","image":"busybox:1"}]}}""");
    ObjectNode pod = harness.pod("two");
    Collector missing = get(pod, "");
    assertThat(missing.response.status()).isEqualTo(400);
    assertThat(missing.text()).contains("a container name must be specified for pod two, choose one of: [a b]"
        + " or one of the init containers: [setup]");
    assertThat(get(pod, "container=zz").text()).contains("container zz is not valid for pod two");
    assertThat(get(pod, "container=a").text()).contains("container \\\"a\\\" in pod \\\"two\\\" is waiting to start");

    harness.createPod("""
        {"metadata":{"name":"one"},"spec":{"containers":[{"name":"app","image":"busybox:1"}]}}""");
    harness.sync("one");
    String uid = Meta.uid(harness.pod("one"));
    String first = harness.runtime.instances(uid, "app").get(0).id();
    harness.runtime.logs.put(first, "one\ntwo\nthree\n");
    harness.runtime.exit(first, 1, false);
    harness.sync("one");
    String second = harness.runtime.instances(uid, "app").get(1).id();
    harness.runtime.logs.put(second, "fresh\n");
    Collector current = get(harness.pod("one"), "");
    assertThat(current.text()).isEqualTo("fresh\n");
    assertThat(current.closed).isTrue();
    assertThat(get(harness.pod("one"), "previous=true&tailLines=2").text()).isEqualTo("two\nthree\n");
    assertThat(harness.agent.containerId(uid, "app")).contains(second);
  }
}

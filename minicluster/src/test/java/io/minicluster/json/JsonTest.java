package io.minicluster.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void valuesAreTheSameAsGoComparesThemNumbersByValueAndMembersInAnyOrder() throws Exception {
    JsonNode parsed = Json.MAPPER.readTree("{\"a\":1,\"b\":[1.0,{\"c\":null}]}");
    ObjectNode built = Json.object().put("a", 1L);
    built.putArray("b").add(1).addObject().putNull("c");
    assertThat(Json.sameValue(parsed, built)).isTrue();
    assertThat(Json.sameValue(parsed, Json.MAPPER.readTree("{\"b\":[1,{\"c\":null}],\"a\":1.00}"))).isTrue();
    assertThat(Json.sameValue(Json.MAPPER.readTree("[1,2]"), Json.MAPPER.readTree("[2,1]"))).isFalse();
    assertThat(Json.sameValue(Json.MAPPER.readTree("{\"a\":1}"), Json.MAPPER.readTree("{\"a\":1,\"b\":2}")))
        .isFalse();
    assertThat(Json.sameValue(Json.MAPPER.readTree("{\"a\":1}"), Json.MAPPER.readTree("{\"b\":1}"))).isFalse();
    assertThat(Json.sameValue(null, null)).isTrue();
    assertThat(Json.sameValue(Json.MAPPER.readTree("\"1\""), Json.MAPPER.readTree("1"))).isFalse();
  }

  @Test
  void encodedIsWhatGosEncoderWrites() {
    String encoded = new String(Json.encoded(Json.parseObject(
        "{\"message\":\"a <b> & \\\"c\\\"\\u2028\\u2029\\u0001\\n\",\"n\":1}")), StandardCharsets.UTF_8);

    assertThat(encoded).isEqualTo(
        "{\"message\":\"a \\u003cb\\u003e \\u0026 \\\"c\\\"\\u2028\\u2029\\u0001\\n\",\"n\":1}\n");
  }

  @Test
  void anArrayWrittenElementByElementEncodesAsTheWholeTree() {
    ObjectNode head = Json.parseObject("{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"}}");
    List<JsonNode> items = List.of(Json.parseObject("{\"a\":\"<x>\"}"), Json.parseObject("{\"b\":[1,2]}"));

    Json.ArrayEncoder encoder = Json.arrayEncoder(head, "items");
    items.forEach(encoder::add);
    byte[] streamed = encoder.finish();

    ObjectNode whole = head.deepCopy();
    whole.putArray("items").addAll(items);
    assertThat(new String(streamed, StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.encoded(whole), StandardCharsets.UTF_8))
        .isEqualTo("{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"},"
            + "\"items\":[{\"a\":\"\\u003cx\\u003e\"},{\"b\":[1,2]}]}\n");
    assertThat(new String(Json.arrayEncoder(head, "items").finish(), StandardCharsets.UTF_8))
        .endsWith("\"items\":[]}\n");
  }

  @Test
  void indentedIsWhatGosMarshalIndentWrites() {
    String indented = new String(Json.indented(Json.parseObject(
        "{\"major\":\"1\",\"list\":[\"a\",\"b\"],\"nested\":{\"x\":true}}")), StandardCharsets.UTF_8);

    assertThat(indented).isEqualTo("{\n  \"major\": \"1\",\n  \"list\": [\n    \"a\",\n    \"b\"\n  ],\n"
        + "  \"nested\": {\n    \"x\": true\n  }\n}");
  }

  @Test
  void keepsABoundedNumberOfBufferSetsWhateverTheNumberOfThreads() throws Exception {
    RecyclerPool<BufferRecycler> pool = Json.MAPPER.getFactory()._getRecyclerPool();
    // as many threads reading and writing at once as the daemon's pools have: each takes its own buffers
    List<Thread> threads = new ArrayList<>();
    CyclicBarrier together = new CyclicBarrier(4 * Json.POOLED_BUFFERS);
    for (int i = 0; i < 4 * Json.POOLED_BUFFERS; i++) {
      Thread thread = new Thread(() -> {
        BufferRecycler held = pool.acquirePooled();
        try {
          together.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        pool.releasePooled(held);
        Json.bytes(Json.parseObject("{\"a\": [1, 2, 3]}"));
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(pool.pooledCount()).isBetween(1, Json.POOLED_BUFFERS);
  }
}

package io.minicluster.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  private static final ObjectNode EMPTY = Json.object();

  @Test
  void absentFieldsAreGoZeroValuesAndAbsentPointersNull() {
    assertThat(JsonValues.string(EMPTY, "a")).isEmpty();
    assertThat(JsonValues.bool(EMPTY, "a")).isFalse();
    assertThat(JsonValues.int32(EMPTY, "a")).isZero();
    assertThat(JsonValues.int64(EMPTY, "a")).isZero();
    assertThat(JsonValues.strings(EMPTY, "a")).isEmpty();
    assertThat(JsonValues.stringMap(EMPTY, "a")).isEmpty();
    assertThat(JsonValues.quantities(EMPTY, "a")).isEmpty();
    assertThat(JsonValues.quantity(EMPTY, "a")).isEqualTo(Quantity.ZERO);
    assertThat(JsonValues.optionalString(EMPTY, "a")).isNull();
    assertThat(JsonValues.optionalBool(EMPTY, "a")).isNull();
    assertThat(JsonValues.optionalInt32(EMPTY, "a")).isNull();
    assertThat(JsonValues.optionalInt64(EMPTY, "a")).isNull();
    assertThat(JsonValues.optionalQuantity(EMPTY, "a")).isNull();
    assertThat(JsonValues.time(EMPTY, "a")).isNull();
    assertThat((Object) JsonValues.optional(EMPTY, "a", n -> "decoded")).isNull();
    assertThat((Object) JsonValues.struct(EMPTY, "a", n -> n == null ? "empty" : "decoded")).isEqualTo("empty");
  }

  @Test
  void equalStringsOfTwoObjectsAreOneInstance() {
    // two parses: every text node has its own String
    String json = "{\"s\":\"IfNotPresent\",\"l\":[\"NoExecute\"],\"m\":{\"k\":\"Exists\"}}";
    ObjectNode first = Json.parseObject(json);
    ObjectNode second = Json.parseObject(json);
    assertThat(first.get("s").textValue()).isNotSameAs(second.get("s").textValue());

    assertThat(JsonValues.string(first, "s")).isSameAs(JsonValues.string(second, "s"));
    assertThat(JsonValues.optionalString(first, "s")).isSameAs(JsonValues.optionalString(second, "s"));
    assertThat(JsonValues.strings(first, "l").get(0)).isSameAs(JsonValues.strings(second, "l").get(0));
    assertThat(JsonValues.stringMap(first, "m").get("k")).isSameAs(JsonValues.stringMap(second, "m").get("k"));
  }

  @Test
  void acceptsANullNode() {
    assertThat(JsonValues.string(null, "a")).isEmpty();
    assertThat(JsonValues.list(null, "a", n -> n)).isEmpty();
    assertThat(JsonValues.child(null, "a")).isNull();
  }

  @Test
  void jsonNullIsAbsent() {
    ObjectNode node = Json.parseObject("{\"s\":null,\"b\":null,\"i\":null,\"l\":null,\"m\":null,\"o\":null}");

    assertThat(JsonValues.string(node, "s")).isEmpty();
    assertThat(JsonValues.optionalBool(node, "b")).isNull();
    assertThat(JsonValues.optionalInt32(node, "i")).isNull();
    assertThat(JsonValues.strings(node, "l")).isEmpty();
    assertThat(JsonValues.stringMap(node, "m")).isEmpty();
    assertThat((Object) JsonValues.optional(node, "o", n -> "decoded")).isNull();
  }

  @Test
  void mistypedFieldsAreZeroValuesNotErrors() {
    ObjectNode node = Json.parseObject("{\"b\":\"true\",\"i\":\"3\",\"big\":4294967296,\"frac\":1.5,\"l\":{\"a\":1},"
        + "\"m\":[1],\"t\":\"yesterday\",\"q\":\"lots\",\"o\":\"text\",\"s\":{\"a\":1}}");

    assertThat(JsonValues.optionalBool(node, "b")).isNull();
    assertThat(JsonValues.optionalInt32(node, "i")).isNull();
    assertThat(JsonValues.optionalInt32(node, "big")).isNull();
    assertThat(JsonValues.int64(node, "big")).isEqualTo(4294967296L);
    assertThat(JsonValues.optionalInt64(node, "frac")).isNull();
    assertThat(JsonValues.strings(node, "l")).isEmpty();
    assertThat(JsonValues.stringMap(node, "m")).isEmpty();
    assertThat(JsonValues.time(node, "t")).isNull();
    assertThat(JsonValues.optionalQuantity(node, "q")).isNull();
    assertThat((Object) JsonValues.optional(node, "o", n -> "decoded")).isNull();
    assertThat(JsonValues.string(node, "s")).isEmpty();
  }

  @Test
  void readsPresentValues() {
    ObjectNode node = Json.parseObject("{\"s\":\"x\",\"n\":80,\"b\":true,\"l\":[\"a\",\"b\"],\"g\":[1,2],"
        + "\"m\":{\"k\":\"v\",\"n\":null},\"t\":\"2026-01-02T03:04:05Z\",\"u\":\"2026-01-02T04:04:05+01:00\","
        + "\"r\":{\"cpu\":\"250m\",\"memory\":\"64Mi\",\"bad\":\"x\",\"pods\":110}}");

    assertThat(JsonValues.string(node, "s")).isEqualTo("x");
    assertThat(JsonValues.string(node, "n")).isEqualTo("80");
    assertThat(JsonValues.int32(node, "n")).isEqualTo(80);
    assertThat(JsonValues.bool(node, "b")).isTrue();
    assertThat(JsonValues.strings(node, "l")).containsExactly("a", "b");
    assertThat(JsonValues.longs(node, "g")).containsExactly(1L, 2L);
    assertThat(JsonValues.stringMap(node, "m")).isEqualTo(Map.of("k", "v", "n", ""));
    assertThat(JsonValues.time(node, "t")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(JsonValues.time(node, "u")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(JsonValues.quantities(node, "r")).containsOnlyKeys("cpu", "memory", "pods");
    assertThat(JsonValues.quantities(node, "r").get("cpu").milliValue()).isEqualTo(250);
    assertThat(JsonValues.quantities(node, "r").get("pods").value()).isEqualTo(110);
  }

  @Test
  void listsOfStructsSkipElementsThatAreNoObjects() {
    ObjectNode node = Json.parseObject("{\"l\":[{\"name\":\"a\"},null,\"b\",{\"name\":\"c\"}]}");

    assertThat(JsonValues.list(node, "l", n -> JsonValues.string(n, "name"))).isEqualTo(List.of("a", "c"));
  }
}

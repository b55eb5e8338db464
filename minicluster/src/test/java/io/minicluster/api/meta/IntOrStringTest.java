package io.minicluster.api.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class IntOrStringTest {

  @Test
  void decodesNumbersAndStrings() {
    var node = Json.parseObject("{\"n\":8080,\"s\":\"http\",\"p\":\"25%\",\"o\":{}}");

    assertThat(IntOrString.value(node, "n")).isEqualTo(IntOrString.of(8080));
    assertThat(IntOrString.value(node, "n").isString()).isFalse();
    assertThat(IntOrString.value(node, "s")).isEqualTo(IntOrString.of("http"));
    assertThat(IntOrString.value(node, "s").toString()).isEqualTo("http");
    assertThat(IntOrString.value(node, "missing")).isEqualTo(IntOrString.ZERO);
    assertThat(IntOrString.optional(node, "missing")).isNull();
    assertThat(IntOrString.optional(node, "o")).isNull();
  }

  @Test
  void scalesPercentagesAsGetScaledValueFromIntOrPercent() {
    assertThat(IntOrString.of(3).scaledValue(10, true)).isEqualTo(3);
    assertThat(IntOrString.of("25%").scaledValue(10, true)).isEqualTo(3);
    assertThat(IntOrString.of("25%").scaledValue(10, false)).isEqualTo(2);
    assertThat(IntOrString.of("100%").scaledValue(7, false)).isEqualTo(7);
    assertThat(IntOrString.of("0%").scaledValue(7, true)).isZero();
    assertThatThrownBy(() -> IntOrString.of("three").scaledValue(10, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IntOrString.of("x%").scaledValue(10, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

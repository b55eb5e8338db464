package io.minicluster.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class FieldErrorTest {
  @Test
  void stringValuesAreQuotedAsGosPercentQ() {
    FieldError error = FieldError.invalid("patch", "{\"a\":\"b\\\\c\"}\n\t\u0001é", "bad");

    assertThat(error.message()).isEqualTo("patch: Invalid value: \"{\\\"a\\\":\\\"b\\\\\\\\c\\\"}\\n\\t\\x01é\": bad");
  }

  @Test
  void textNodesAreQuotedAndOtherValuesPrinted() {
    assertThat(FieldError.invalid("f", Json.parseObject("{\"s\":\"q\\\"\"}").get("s"), "").message())
        .isEqualTo("f: Invalid value: \"q\\\"\"");
    assertThat(FieldError.invalid("f", 70000, "too big").message()).isEqualTo("f: Invalid value: 70000: too big");
  }
}

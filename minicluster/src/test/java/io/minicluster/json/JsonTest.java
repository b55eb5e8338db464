package io.minicluster.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void encodedIsWhatGosEncoderWrites() {
    String encoded = new String(Json.encoded(Json.parseObject(
        "{\"message\":\"a <b> & \\\"c\\\"\\u2028\\u2029\\u0001\\n\",\"n\":1}")), StandardCharsets.UTF_8);

    assertThat(encoded).isEqualTo(
        "{\"message\":\"a \\u003cb\\u003e \\u0026 \\\"c\\\"\\u2028\\u2029\\u0001\\n\",\"n\":1}\n");
  }

  @Test
  void indentedIsWhatGosMarshalIndentWrites() {
    String indented = new String(Json.indented(Json.parseObject(
        "{\"major\":\"1\",\"list\":[\"a\",\"b\"],\"nested\":{\"x\":true}}")), StandardCharsets.UTF_8);

    assertThat(indented).isEqualTo("{\n  \"major\": \"1\",\n  \"list\": [\n    \"a\",\n    \"b\"\n  ],\n"
        + "  \"nested\": {\n    \"x\": true\n  }\n}");
  }
}

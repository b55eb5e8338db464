package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.protobuf.ProtobufCodec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
  private final BodyDecoder decoder = new BodyDecoder(ProtobufCodec::decode);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private ApiException reject(String contentType, byte[] body, String validation) {
    try {
      decoder.decode(ResourceTypes.CONFIG_MAPS, contentType, body, validation);
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("accepted " + new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void decodesJsonAndYamlAndDefaultsMissingContentTypeToJson() {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}";
    assertThat(decoder.decode(ResourceTypes.CONFIG_MAPS, null, utf8(json), "Strict").object().path("data")
        .path("k").asText()).isEqualTo("v");
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n";
    assertThat(decoder.decode(ResourceTypes.CONFIG_MAPS, "application/yaml", utf8(yaml), "Strict").object()
        .path("metadata").path("name").asText()).isEqualTo("a");
  }

  @Test
  void unknownAndDuplicateFieldsFollowFieldValidation() {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"name\":\"b\"},"
        + "\"dta\":{}}";
    ApiException strict = reject("application/json", utf8(body), "Strict");
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.getMessage()).contains("strict decoding error", "duplicate field \"metadata.name\"",
        "unknown field \"dta\"");
    BodyDecoder.Decoded warned = decoder.decode(ResourceTypes.CONFIG_MAPS, "application/json", utf8(body), "Warn");
    assertThat(warned.warnings()).hasSize(2);
    assertThat(decoder.decode(ResourceTypes.CONFIG_MAPS, "application/json", utf8(body), "Ignore").warnings())
        .isEmpty();
    assertThat(reject("application/json", utf8(body), "Sometimes").code()).isEqualTo(400);
  }

  @Test
  void deeplyNestedInputIsABadRequestNotACrash() {
    String deepJson = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    assertThat(reject("application/json", utf8(deepJson), "Strict").code()).isEqualTo(400);
    String deepArray = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(reject("application/json", utf8(deepArray), "Strict").code()).isEqualTo(400);
    String deepYaml = "a: [".repeat(20_000) + "1" + "]".repeat(20_000);
    assertThat(reject("application/yaml", utf8(deepYaml), "Strict").code()).isEqualTo(400);
    String deepFlow = "[".repeat(20_000);
    assertThat(reject("application/yaml", utf8(deepFlow), "Strict").code()).isEqualTo(400);
  }

  @Test
  void yamlAliasBombsAreRejected() {
    StringBuilder bomb = new StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (int i = 1; i < 12; i++) {
      char previous = (char) ('a' + i - 1);
      char current = (char) ('a' + i);
      bomb.append(current).append(": &").append(current).append(" [*").append(previous);
      for (int j = 0; j < 8; j++) {
        bomb.append(",*").append(previous);
      }
      bomb.append("]\n");
    }
    assertThat(reject("application/yaml", utf8(bomb.toString()), "Strict").code()).isEqualTo(400);
  }

  @Test
  void garbageOfEveryKindIsABadRequest() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] body = new byte[1 + random.nextInt(200)];
      random.nextBytes(body);
      for (String type : new String[] {"application/json", "application/yaml", BodyDecoder.PROTOBUF}) {
        try {
          decoder.decode(ResourceTypes.CONFIG_MAPS, type, body, "Strict");
        } catch (ApiException e) {
          assertThat(e.code()).as(type).isBetween(400, 499);
        }
      }
    }
    assertThat(reject("application/json", utf8("[1,2,3]"), "Strict").code()).isEqualTo(400);
    assertThat(reject("application/json", new byte[0], "Strict").code()).isEqualTo(400);
    assertThatThrownBy(() -> decoder.decode(ResourceTypes.CONFIG_MAPS, "application/xml", utf8("<a/>"), "Strict"))
        .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).code()).isEqualTo(415);
  }
}

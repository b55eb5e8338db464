package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
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

  private ApiException reject(ResourceType type, String body) {
    try {
      decoder.decode(type, "application/json", utf8(body), "Strict");
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("BadRequest");
      return e;
    }
    throw new AssertionError("accepted " + body);
  }

  @Test
  void aBodyOfAnotherKnownKindCannotBeConvertedToTheAddressedOne() {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";
    assertThat(reject(ResourceTypes.NAMESPACES, pod).getMessage()).isEqualTo("Pod in version \"v1\" cannot be "
        + "handled as a Namespace: converting (v1.Pod) to (core.Namespace): unknown conversion");
    assertThat(reject(ResourceTypes.DEPLOYMENTS, pod).getMessage()).isEqualTo("Pod in version \"v1\" cannot be "
        + "handled as a Deployment: converting (v1.Pod) to (apps.Deployment): unknown conversion");
    String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"}}";
    assertThat(reject(ResourceTypes.CONFIG_MAPS, deployment).getMessage()).isEqualTo("Deployment in version \"v1\" "
        + "cannot be handled as a ConfigMap: converting (v1.Deployment) to (core.ConfigMap): unknown conversion");
    String badPod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":\"c\"}}";
    assertThat(reject(ResourceTypes.NAMESPACES, badPod).getMessage()).isEqualTo("Pod in version \"v1\" cannot be "
        + "handled as a Namespace: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type "
        + "[]v1.Container");
  }

  @Test
  void aBodyOfAnUnknownKindOrVersionIsNotRegistered() {
    assertThat(reject(ResourceTypes.CONFIG_MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"Widget\"}").getMessage())
        .isEqualTo("Widget in version \"v1\" cannot be handled as a ConfigMap: no kind \"Widget\" is registered for "
            + "version \"v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"");
    assertThat(reject(ResourceTypes.CONFIG_MAPS, "{\"apiVersion\":\"v2\",\"kind\":\"ConfigMap\"}").getMessage())
        .isEqualTo("ConfigMap in version \"v2\" cannot be handled as a ConfigMap: no kind \"ConfigMap\" is "
            + "registered for version \"v2\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"");
  }

  @Test
  void aBodyWithoutReadableTypeIsUnrecognized() {
    String truncated = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{";
    assertThat(reject(ResourceTypes.CONFIG_MAPS, truncated).getMessage()).isEqualTo("the object provided is "
        + "unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of "
        + "JSON input ({\"apiVersion\":\"v1\",\"kind\":\"Con ...)");
    assertThat(reject(ResourceTypes.CONFIG_MAPS, "[1,2,3]").getMessage()).isEqualTo("the object provided is "
        + "unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot "
        + "unmarshal array into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
        + "Kind string \"json:\\\"kind,omitempty\\\"\" } (5b312c322c335d)");
    assertThat(reject(ResourceTypes.CONFIG_MAPS, "{\"kind\":1}").getMessage()).isEqualTo("the object provided is "
        + "unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot "
        + "unmarshal number into Go struct field .kind of type string ({\"kind\":1})");
    assertThat(reject(ResourceTypes.CONFIG_MAPS, "").getMessage()).isEqualTo("the object provided is "
        + "unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of "
        + "JSON input (<empty>)");
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

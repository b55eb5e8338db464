package io.minicluster.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import io.minicluster.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwaggerV2Test {
  private final SwaggerV2 swagger = new SwaggerV2(new OpenApi());

  @Test
  void definitionsUseV2ReferencesAndCarryTheKinds() {
    ObjectNode document = swagger.tree();
    assertThat(document.path("swagger").asText()).isEqualTo("2.0");
    JsonNode pod = document.path("definitions").path("io.k8s.api.core.v1.Pod");
    assertThat(pod.path("properties").path("spec").path("$ref").asText())
        .isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
    assertThat(pod.path("x-kubernetes-group-version-kind").get(0).path("kind").asText()).isEqualTo("Pod");
    JsonNode deployment = document.path("definitions").path("io.k8s.api.apps.v1.Deployment");
    assertThat(deployment.path("x-kubernetes-group-version-kind").get(0).path("group").asText()).isEqualTo("apps");
    assertThat(Json.bytes(document).length).isEqualTo(swagger.json().length);
    // no v3 leftovers anywhere
    String json = new String(swagger.json(), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("#/components/schemas/", "\"allOf\"", "\"oneOf\"");
  }

  @Test
  void convertsTheV3OnlyShapes() {
    assertThat(SwaggerV2.convert(json("{\"allOf\":[{\"$ref\":\"#/components/schemas/a.B\"}]}")))
        .isEqualTo(json("{\"$ref\":\"#/definitions/a.B\"}"));
    assertThat(SwaggerV2.convert(json(
        "{\"format\":\"int-or-string\",\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}],"
            + "\"x-kubernetes-int-or-string\":true}")))
        .isEqualTo(json("{\"format\":\"int-or-string\",\"type\":\"string\"}"));
    assertThat(SwaggerV2.convert(json("{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}")))
        .isEqualTo(json("{\"type\":\"object\",\"additionalProperties\":{}}"));
    assertThat(SwaggerV2.convert(json(
        "{\"type\":\"array\",\"items\":{\"allOf\":[{\"$ref\":\"#/components/schemas/x.Y\"}]}}")))
        .isEqualTo(json("{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/x.Y\"}}"));
  }

  @Test
  void protobufIsTheGnosticDocument() throws IOException {
    Map<Integer, List<byte[]>> document = fields(swagger.protobuf());
    assertThat(text(document.get(1).get(0))).isEqualTo("2.0");
    assertThat(text(fields(document.get(2).get(0)).get(1).get(0))).isEqualTo("Kubernetes");
    Map<String, byte[]> definitions = new LinkedHashMap<>();
    for (byte[] named : fields(document.get(9).get(0)).get(1)) {
      Map<Integer, List<byte[]>> entry = fields(named);
      definitions.put(text(entry.get(1).get(0)), entry.get(2).get(0));
    }
    assertThat(definitions).containsKeys("io.k8s.api.core.v1.Pod", "io.k8s.api.apps.v1.Deployment");

    Map<Integer, List<byte[]>> pod = fields(definitions.get("io.k8s.api.core.v1.Pod"));
    assertThat(text(fields(pod.get(22).get(0)).get(1).get(0))).isEqualTo("object");
    Map<String, byte[]> properties = new LinkedHashMap<>();
    for (byte[] named : fields(pod.get(25).get(0)).get(1)) {
      Map<Integer, List<byte[]>> entry = fields(named);
      properties.put(text(entry.get(1).get(0)), entry.get(2).get(0));
    }
    assertThat(text(fields(properties.get("spec")).get(1).get(0))).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec");
    Map<Integer, List<byte[]>> extension = fields(pod.get(31).get(0));
    assertThat(text(extension.get(1).get(0))).isEqualTo("x-kubernetes-group-version-kind");
    String yaml = text(fields(extension.get(2).get(0)).get(2).get(0));
    assertThat(json(yaml)).isEqualTo(json("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]"));
  }

  /** The length-delimited fields of a message by number (every field this document writes is one). */
  private static Map<Integer, List<byte[]>> fields(byte[] message) throws IOException {
    Map<Integer, List<byte[]>> fields = new LinkedHashMap<>();
    CodedInputStream in = CodedInputStream.newInstance(message);
    int tag;
    while ((tag = in.readTag()) != 0) {
      assertThat(tag & 7).as("wire type of field %d", tag >>> 3).isEqualTo(2);
      fields.computeIfAbsent(tag >>> 3, number -> new ArrayList<>()).add(in.readByteArray());
    }
    return fields;
  }

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

package io.minicluster.apiextensions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPathTest {
  private static final ObjectNode OBJECT = Json.parseObject("""
      {"metadata":{"labels":{"app.kubernetes.io/name":"web"}},"spec":{"ports":[{"port":80},{"port":443}]}}""");

  @Test
  void findsFieldsKeysAndIndices() {
    assertThat(JsonPath.parse(".metadata.labels['app.kubernetes.io/name']").orElseThrow().find(OBJECT).asText())
        .isEqualTo("web");
    assertThat(JsonPath.parse(".spec.ports[1].port").orElseThrow().find(OBJECT).asInt()).isEqualTo(443);
    assertThat(JsonPath.parse("{.spec.ports[0].port}").orElseThrow().steps()).containsExactly("spec", "ports", 0,
        "port");
    assertThat(JsonPath.parse(".spec.missing.field").orElseThrow().find(OBJECT)).isNull();
  }

  @Test
  void refusesWhatIsNotASimplePath() {
    for (String path : List.of("spec.replicas", ".spec..replicas", ".spec.ports[*]", "", ".spec[")) {
      assertThat(JsonPath.parse(path)).as(path).isEmpty();
    }
  }

  @Test
  void setsAFieldCreatingItsParents() {
    ObjectNode object = Json.object();
    JsonPath.parse(".spec.scale.replicas").orElseThrow().set(object, IntNode.valueOf(3));
    assertThat(object.toString()).isEqualTo("{\"spec\":{\"scale\":{\"replicas\":3}}}");
  }
}

package io.minicluster.api.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  @Test
  void decodesAndMatchesAsLabelSelectorAsSelector() {
    LabelSelector selector = LabelSelector.from(Json.parseObject("{\"matchLabels\":{\"app\":\"web\"},"
        + "\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"db\"]},"
        + "{\"key\":\"track\",\"operator\":\"Exists\"}]}"));

    assertThat(selector.matchLabels()).isEqualTo(Map.of("app", "web"));
    assertThat(selector.matchExpressions()).containsExactly(
        new LabelSelectorRequirement("tier", "NotIn", List.of("db")),
        new LabelSelectorRequirement("track", "Exists", List.of()));
    var matcher = selector.toSelector();
    assertThat(matcher.matches(Map.of("app", "web", "track", "stable"))).isTrue();
    assertThat(matcher.matches(Map.of("app", "web", "track", "stable", "tier", "db"))).isFalse();
    assertThat(matcher.matches(Map.of("app", "web"))).isFalse();
    assertThat(matcher.toString()).isEqualTo("app=web,tier notin (db),track");
  }

  @Test
  void anEmptySelectorSelectsEverythingAndAnAbsentOneIsNull() {
    var node = Json.parseObject("{\"selector\":{}}");

    assertThat(LabelSelector.optional(node, "selector").toSelector().matches(Map.of("any", "thing"))).isTrue();
    assertThat(LabelSelector.optional(node, "other")).isNull();
  }

  @Test
  void anUnknownOperatorIsRejectedWhenMatching() {
    LabelSelector selector = LabelSelector.from(Json.parseObject(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Near\"}]}"));

    assertThat(selector.matchExpressions().get(0).operator()).isEqualTo("Near");
    assertThatThrownBy(selector::toSelector).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"Near\" is not a valid label selector operator");
  }
}

package io.minicluster.api.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {
  private static final String VALUE_RULE = "a valid label must be an empty string or consist of alphanumeric "
      + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  private static final String NAME_RULE = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
      + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
      + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "\"\"|\"\"",
      "x=a|x=a",
      "x=a,y=b,z=c|x=a,y=b,z=c",
      "z=c,x=a|x=a,z=c",
      "x==a|x==a",
      "x!=a|x!=a",
      "x in (foo,,baz),y,z notin ()|x in (,baz,foo),y,z notin ()",
      "!x|!x",
      "\"  x = a ,  y in ( c , b ) \"|x=a,y in (b,c)",
      "x>1|x>1",
      "x<2|x<2",
      "x<0010|x<0010",
      "in in (in)|in in (in)",
      "notin notin (notin,in)|notin notin (in,notin)",
      "x=|x=",
      "x=,y|x=,y",
      "x in (a,b,a)|x in (a,b)",
      "x in (,)|x in ()",
      "x in (a,)|x in (,a)",
      "example.com/app=web|example.com/app=web",
      "a.b_c-D=E.f_g-H|a.b_c-D=E.f_g-H",
      "\"x\tin\t(a)\"|x in (a)",
  })
  void parsesAndRenders(String input, String rendered) {
    Selector selector = Selector.parse(input);
    assertThat(selector.toString()).isEqualTo(rendered);
    assertThat(Selector.parse(rendered)).isEqualTo(selector);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "x y|unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt",
      "x=a,,|found ',', expected: identifier after ','",
      "x=a,|found '', expected: identifier after ','",
      "x=a)|found ')', expected: ',' or 'end of string'",
      "x=a b|found 'b', expected: ',' or 'end of string'",
      "!x=a|found '=', expected: ',' or 'end of string'",
      "=a|found '=', expected: !, identifier, or 'end of string'",
      ",x|found ',', expected: !, identifier, or 'end of string'",
      "x in a|unable to parse requirement: found 'a' expected: '('",
      "x in (a|unable to parse requirement: found '', expected: ',' or ')'",
      "x in (a b)|unable to parse requirement: found 'b', expected: ',' or ')'",
      "x in (|unable to parse requirement: found '', expected: ',', ')' or identifier",
      "x in (=)|unable to parse requirement: found '=', expected: ',', ')' or identifier",
      "x in (a,=)|unable to parse requirement: found '=', expected: ',', or identifier",
      "x=(|unable to parse requirement: found '(', expected: identifier",
      "!|unable to parse requirement: found '', expected: identifier",
      "!!x|unable to parse requirement: found '!', expected: identifier",
      "x>a|unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
      "x==!|unable to parse requirement: found '!', expected: identifier",
  })
  void reportsSyntaxErrorsAsTheApiserver(String input, String message) {
    assertThatThrownBy(() -> Selector.parse(input))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.reason()).isEqualTo("BadRequest");
        })
        .hasMessage(message);
  }

  @Test
  void reportsInvalidKeysAndValues() {
    assertThatThrownBy(() -> Selector.parse("x=-a")).hasMessage(
        "unable to parse requirement: values[0][x]: Invalid value: \"-a\": " + VALUE_RULE);
    assertThatThrownBy(() -> Selector.parse("-x=a")).hasMessage(
        "unable to parse requirement: <nil>: Invalid value: \"-x\": " + NAME_RULE);
    assertThatThrownBy(() -> Selector.parse("x=" + "a".repeat(64))).hasMessage(
        "unable to parse requirement: values[0][x]: Invalid value: \"" + "a".repeat(64)
            + "\": must be no more than 63 bytes");
    assertThatThrownBy(() -> Selector.parse("Example.com/x")).hasMessage(
        "unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": prefix part a lowercase RFC 1123 "
            + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
            + "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    assertThatThrownBy(() -> Selector.parse("a/b/c")).hasMessageStartingWith(
        "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key must consist of");
    assertThatThrownBy(() -> Selector.parse("x/")).hasMessage(
        "unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be non-empty; " + NAME_RULE);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "\"\"|\"\"|true",
      "\"\"|a=b|true",
      "a=b|a=b|true",
      "a=b|a=c|false",
      "a=b|\"\"|false",
      "a==b|a=b,c=d|true",
      "a!=b|a=c|true",
      "a!=b|\"\"|true",
      "a!=b|a=b|false",
      "a in (b,c)|a=c|true",
      "a in (b,c)|a=d|false",
      "a in (b,c)|\"\"|false",
      "a notin (b,c)|\"\"|true",
      "a notin (b,c)|a=b|false",
      "a|a=|true",
      "a|b=a|false",
      "!a|b=a|true",
      "!a|a=x|false",
      "a=|a=|true",
      "a=|\"\"|false",
      "a>5|a=6|true",
      "a>5|a=5|false",
      "a>5|a=x|false",
      "a<5|a=-1|true",
      "a<5|\"\"|false",
      "a=b,c in (d)|a=b,c=d|true",
      "a=b,c in (d)|a=b,c=e|false",
  })
  void matches(String selector, String labels, boolean expected) {
    assertThat(Selector.parse(selector).matches(labels(labels))).isEqualTo(expected);
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> result = new HashMap<>();
    if (!text.isEmpty()) {
      for (String pair : text.split(",")) {
        String[] parts = pair.split("=", -1);
        result.put(parts[0], parts[1]);
      }
    }
    return result;
  }

  @Test
  void negativeComparisonBoundIsNotAValidLabelValue() {
    // labels.NewRequirement validates "-2" as a label value too, so the apiserver rejects it
    assertThatThrownBy(() -> Selector.parse("x<-2"))
        .hasMessage("unable to parse requirement: values[0][x]: Invalid value: \"-2\": " + VALUE_RULE);
  }

  @Test
  void emptyAndNothingSemantics() {
    assertThat(Selector.everything().isEmpty()).isTrue();
    assertThat(Selector.everything().matches(Map.of("a", "b"))).isTrue();
    assertThat(Selector.parse("").isEmpty()).isTrue();
    assertThat(Selector.nothing().isEmpty()).isFalse();
    assertThat(Selector.nothing().matchesNothing()).isTrue();
    assertThat(Selector.nothing().matches(Map.of())).isFalse();
    assertThat(Selector.parse("a").isEmpty()).isFalse();
  }

  @Test
  void fromObjectFollowsMetav1Semantics() {
    assertThat(Selector.fromObject(null).matchesNothing()).isTrue();
    assertThat(Selector.fromObject(Json.MAPPER.nullNode()).matchesNothing()).isTrue();
    assertThat(Selector.fromObject(Json.object()).isEmpty()).isTrue();
    assertThat(Selector.fromObject(Json.parseObject("{\"matchLabels\":{}}")).isEmpty()).isTrue();

    Selector selector = Selector.fromObject(Json.parseObject("""
        {"matchLabels": {"app": "web", "tier": "front"},
         "matchExpressions": [
           {"key": "env", "operator": "In", "values": ["prod", "staging"]},
           {"key": "canary", "operator": "DoesNotExist"},
           {"key": "zone", "operator": "NotIn", "values": ["b"]},
           {"key": "owner", "operator": "Exists"}]}
        """));
    assertThat(selector.toString()).isEqualTo("app=web,!canary,env in (prod,staging),owner,tier=front,zone notin (b)");
    assertThat(selector.matches(Map.of("app", "web", "tier", "front", "env", "prod", "owner", "x"))).isTrue();
    assertThat(selector.matches(Map.of("app", "web", "tier", "front", "env", "prod", "owner", "x", "canary", "1")))
        .isFalse();
    assertThat(selector.matches(Map.of("app", "web", "tier", "front", "env", "dev", "owner", "x"))).isFalse();
    assertThat(selector.matches(Map.of("app", "web", "tier", "front", "env", "prod", "owner", "x", "zone", "b")))
        .isFalse();
  }

  @Test
  void fromObjectRejectsBadOperatorsKeysAndValueCounts() {
    assertThatThrownBy(() -> Selector.fromObject(Json.parseObject(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("\"Gt\" is not a valid label selector operator");
    assertThatThrownBy(() -> Selector.fromObject(Json.parseObject(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}")))
        .hasMessage("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
    assertThatThrownBy(() -> Selector.fromObject(Json.parseObject(
        "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}")))
        .hasMessage("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
    assertThatThrownBy(() -> Selector.fromObject(Json.parseObject("{\"matchLabels\":{\"-a\":\"b\"}}")))
        .hasMessage("key: Invalid value: \"-a\": " + NAME_RULE);
  }

  @Test
  void fromMapAndExactMatch() {
    Selector selector = Selector.fromMap(Map.of("b", "2", "a", "1"));
    assertThat(selector.toString()).isEqualTo("a=1,b=2");
    assertThat(selector.requiresExactMatch("a")).contains("1");
    assertThat(Selector.parse("a in (x)").requiresExactMatch("a")).contains("x");
    assertThat(Selector.parse("a in (x,y)").requiresExactMatch("a")).isEmpty();
    assertThat(Selector.parse("a!=x").requiresExactMatch("a")).isEmpty();
    assertThat(Selector.fromMap(Map.of()).isEmpty()).isTrue();
  }

  @Test
  void matchesObjectLabels() {
    var pod = Json.parseObject("{\"metadata\":{\"name\":\"p\",\"labels\":{\"app\":\"web\"}}}");
    assertThat(Selector.parse("app=web").matchesObject(pod)).isTrue();
    assertThat(Selector.parse("app").matchesObject(Json.parseObject("{\"metadata\":{}}"))).isFalse();
    assertThat(Selector.parse("!app").matchesObject(Json.parseObject("{\"metadata\":{}}"))).isTrue();
  }

  @Test
  void ofValidatesRequirements() {
    assertThat(Selector.of(List.of(new Selector.Requirement("b", Selector.Operator.EXISTS, List.of()),
        new Selector.Requirement("a", Selector.Operator.NOT_IN, List.of("y", "x")))).toString())
        .isEqualTo("a notin (x,y),b");
    assertThatThrownBy(() -> Selector.of(List.of(
        new Selector.Requirement("a", Selector.Operator.EQUALS, List.of("x", "y")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values: Invalid value: []string{\"x\", \"y\"}: exact-match compatibility requires one single value");
  }
}

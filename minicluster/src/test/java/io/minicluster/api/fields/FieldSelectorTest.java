package io.minicluster.api.fields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``|``",
      "a=b|a=b",
      "a==b|a=b",
      "a!=b|a!=b",
      "b=2,a=1|a=1,b=2",
      "a=1,,b=2|a=1,b=2",
      "a=|a=",
      "a!=|a!=",
      "a=b\\,c|a=b\\,c",
      "a=b\\=c|a=b\\=c",
      "a=b\\\\c|a=b\\\\c",
      "metadata.name=x,status.phase!=Running|metadata.name=x,status.phase!=Running",
  })
  void parsesAndRenders(String input, String rendered) {
    FieldSelector selector = FieldSelector.parse(input);
    assertThat(selector.toString()).isEqualTo(rendered);
    assertThat(FieldSelector.parse(selector.toString())).isEqualTo(selector);
  }

  @Test
  void unescapesValues() {
    assertThat(FieldSelector.parse("a=x\\,y\\=z\\\\w").requirements())
        .containsExactly(new FieldSelector.Requirement("a", FieldSelector.Operator.EQUALS, "x,y=z\\w"));
    assertThat(FieldSelector.escapeValue("x,y=z\\w")).isEqualTo("x\\,y\\=z\\\\w");
    assertThat(FieldSelector.unescapeValue("plain")).isEqualTo("plain");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "a|invalid selector: 'a'; can't understand 'a'",
      "a=b,c|invalid selector: 'a=b,c'; can't understand 'c'",
      "a=b=c|invalid field selector: unescaped character in value: 61",
      "a=b\\x|invalid field selector: invalid escape sequence: \\x",
      "a=b\\|invalid field selector: invalid escape sequence: \\",
      "a!==b|invalid field selector: unescaped character in value: 61",
  })
  void reportsErrorsAsTheApiserver(String input, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(input))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``|a=1|true",
      "a=1|a=1|true",
      "a=1|a=2|false",
      "a=1|``|false",
      "a=|``|true",
      "a!=1|``|true",
      "a!=1|a=1|false",
      "a=1,b!=2|a=1,b=3|true",
      "a=1,b!=2|a=1,b=2|false",
  })
  void matches(String selector, String fields, boolean expected) {
    Map<String, String> values = new HashMap<>();
    if (!fields.isEmpty()) {
      for (String pair : fields.split(",")) {
        String[] parts = pair.split("=", -1);
        values.put(parts[0], parts[1]);
      }
    }
    assertThat(FieldSelector.parse(selector).matches(values)).isEqualTo(expected);
    assertThat(FieldSelector.parse(selector).matches(values::get)).isEqualTo(expected);
  }

  @Test
  void exactMatchAndEmptiness() {
    FieldSelector selector = FieldSelector.parse("metadata.name=web,spec.nodeName!=n1");
    assertThat(selector.requiresExactMatch("metadata.name")).contains("web");
    assertThat(selector.requiresExactMatch("spec.nodeName")).isEmpty();
    assertThat(FieldSelector.parse("").isEmpty()).isTrue();
    assertThat(FieldSelector.everything().matches(f -> null)).isTrue();
    assertThat(FieldSelector.fromMap(Map.of("a", "x,y")).toString()).isEqualTo("a=x\\,y");
  }
}

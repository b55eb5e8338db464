package io.minicluster.apiextensions.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** CRD patterns as Go's regexp reads them: what it refuses, with its message, and what means something else in Java. */
class GoRegexpTest {
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("^(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        Arguments.of("(?!kube-)", "invalid or unsupported Perl syntax: `(?!`"),
        Arguments.of("(?>a)", "invalid or unsupported Perl syntax: `(?>`"),
        Arguments.of("(?x)a b", "invalid or unsupported Perl syntax: `(?x`"),
        Arguments.of("(?<=a)b", "invalid named capture: `(?<=a)b`"),
        Arguments.of("a\\Z", "invalid escape sequence: `\\Z`"),
        Arguments.of("\\R", "invalid escape sequence: `\\R`"),
        Arguments.of("(a)\\1", "invalid escape sequence: `\\1`"),
        Arguments.of("a*+", "invalid nested repetition operator: `*+`"),
        Arguments.of("a**", "invalid nested repetition operator: `**`"),
        Arguments.of("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        Arguments.of("a{1001}", "invalid repeat count: `{1001}`"),
        Arguments.of("*a", "missing argument to repetition operator: `*`"),
        Arguments.of("a|?", "missing argument to repetition operator: `?`"),
        Arguments.of("[[:letters:]]", "invalid character class range: `[:letters:]`"),
        Arguments.of("[a", "missing closing ]: `[a`"),
        Arguments.of("a\\", "trailing backslash at end of expression: ``"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWhatGoRefusesWithItsMessage(String pattern, String message) {
    assertThatThrownBy(() -> GoRegexp.compile(pattern)).isInstanceOf(GoRegexp.SyntaxError.class)
        .hasMessage("error parsing regexp: " + message);
  }

  @ParameterizedTest(name = "{0} finds in {1}: {2}")
  @CsvSource(delimiter = '~', textBlock = """
      ^a$                   ~ 'a\n'        ~ false
      ^a$                   ~ a            ~ true
      (?m)^a$               ~ 'b\na\nc'    ~ true
      (?m:^a$)|x            ~ 'b\na\nc'    ~ true
      ^(?m:a$)b$            ~ 'a\nb'       ~ false
      ^\\s$                 ~ '\u000B'     ~ false
      ^\\s$                 ~ '\t'         ~ true
      ^[\\s]$               ~ '\u000B'     ~ false
      ^\\S$                 ~ '\u000B'     ~ true
      ^\\v$                 ~ '\u000B'     ~ true
      ^\\v$                 ~ '\n'         ~ false
      ^.$                   ~ '\r'         ~ true
      ^.$                   ~ '\n'         ~ false
      (?s)^.$               ~ '\n'         ~ true
      ^[[:alpha:]]+$        ~ abc          ~ true
      ^[[:alpha:]]+$        ~ a1           ~ false
      ^[[:^digit:]]$        ~ a            ~ true
      ^[[:^digit:]]$        ~ 7            ~ false
      ^[[:word:]-]+$        ~ a_b-c        ~ true
      ^[a[]$                ~ [            ~ true
      ^[]a]$                ~ ]            ~ true
      ^[&&a]$               ~ &            ~ true
      ^a{,2}$               ~ a{,2}        ~ true
      ^a{2,}$               ~ aaa          ~ true
      ^x{$                  ~ x{           ~ true
      ^(?P<name>a)b$        ~ ab           ~ true
      ^(?<name>a)b$         ~ ab           ~ true
      ^\\pL+$               ~ αβ           ~ true
      ^\\p{Greek}+$         ~ αβ           ~ true
      ^\\p{Greek}+$         ~ ab           ~ false
      ^\\P{Greek}$          ~ a            ~ true
      ^\\101$               ~ A            ~ true
      ^\\x{41}\\x42$        ~ AB           ~ true
      ^\\Q.*\\E$            ~ .*           ~ true
      ^\\Q.*\\E$            ~ ab           ~ false
      (?i)^abc$             ~ ABC          ~ true
      ^\\d+$                ~ ١٢           ~ false
      """)
  void matchesAsGoDoes(String pattern, String text, boolean found) {
    assertThat(GoRegexp.compile(pattern).matcher(text).find()).isEqualTo(found);
  }
}

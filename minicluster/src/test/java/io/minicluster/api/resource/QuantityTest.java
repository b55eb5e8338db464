package io.minicluster.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuantityTest {

  @ParameterizedTest
  @CsvSource({
      "100m, 100m", "0.5, 500m", "1, 1", "1000m, 1", "1500m, 1500m", "1.5, 1500m", "2000, 2k", "1k, 1k",
      "1000k, 1M", "1Gi, 1Gi", "1024Mi, 1Gi", "1536Mi, 1536Mi", "1024, 1024", "1Ki, 1Ki", "512Ki, 512Ki",
      "0.5Gi, 512Mi", "100Mi, 100Mi", "128974848, 128974848", "129e6, 129e6", "2e3, 2e3", "1e3, 1e3",
      "12E, 12E", "5n, 5n", "1u, 1u", "0, 0", "0Gi, 0", "-1, -1", "+5, 5", "1.1, 1100m",
      "0.0000000001, 1n", "1M, 1M", "1G, 1G", "10Gi, 10Gi", "1000000000m, 1M", "500Ki, 500Ki", "1023, 1023",
      "1.5Ki, 1536", "1e-3, 1e-3", ".5, 500m", "1000e-3, 1"
  })
  void canonicalForm(String input, String canonical) {
    assertThat(Quantity.parse(input).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1.2.3", "1 Gi", "1gi", "1Gix", "1.5.Gi"})
  void rejectsMalformed(String input) {
    assertThatThrownBy(() -> Quantity.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(Quantity.FORMAT_ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1K", "1e", "--1", "1MM", "1Ge3"})
  void rejectsUnknownSuffix(String input) {
    assertThatThrownBy(() -> Quantity.parse(input)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(Quantity.SUFFIX_ERROR);
  }

  @Test
  void cpuMillisAndMemoryBytes() {
    assertThat(Quantity.parse("100m").milliValue()).isEqualTo(100);
    assertThat(Quantity.parse("2").milliValue()).isEqualTo(2000);
    assertThat(Quantity.parse("0.1").milliValue()).isEqualTo(100);
    assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
    assertThat(Quantity.parse("1Gi").value()).isEqualTo(1073741824L);
    assertThat(Quantity.parse("128M").value()).isEqualTo(128000000L);
    assertThat(Quantity.parse("1.5m").value()).isEqualTo(1);
  }

  @Test
  void compareAcrossFormats() {
    assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
    assertThat(Quantity.parse("1000m")).isEqualByComparingTo(Quantity.parse("1"));
    assertThat(Quantity.parse("1000m")).isEqualTo(Quantity.parse("1"));
    assertThat(Quantity.parse("1000m").hashCode()).isEqualTo(Quantity.parse("1").hashCode());
    assertThat(Quantity.parse("999m")).isLessThan(Quantity.parse("1"));
  }

  @Test
  void addKeepsFormatAndFromJsonAcceptsNumbers() {
    assertThat(Quantity.parse("512Mi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1Gi");
    assertThat(Quantity.ZERO.add(Quantity.parse("1Ki")).toString()).isEqualTo("1Ki");
    assertThat(Quantity.fromJson(new DecimalNode(new BigDecimal("0.5"))).toString()).isEqualTo("500m");
    assertThat(Quantity.fromJson(IntNode.valueOf(2)).toString()).isEqualTo("2");
    assertThat(Quantity.ofMillis(250).toString()).isEqualTo("250m");
    assertThat(Quantity.ofBinary(2147483648L).toString()).isEqualTo("2Gi");
    assertThat(Quantity.isValid("1Gi")).isTrue();
    assertThat(Quantity.isValid("1GB")).isFalse();
  }
}

package io.minicluster.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InternerTest {
  private record Value(String name, List<String> items) {}

  @Test
  void equalValuesGiveTheFirstInstanceAndOthersStayThemselves() {
    Value first = Interner.intern(new Value("a", List.of("x", "y")));

    assertThat(Interner.intern(new Value("a", List.of("x", "y")))).isSameAs(first);
    Value other = new Value("b", List.of("x"));
    assertThat(Interner.intern(other)).isSameAs(other);
  }
}

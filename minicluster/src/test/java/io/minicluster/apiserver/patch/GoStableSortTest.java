package io.minicluster.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoStableSortTest {

  private record Item(int key, int position) {}

  /** With a consistent order, Go's stable sort must agree with any stable sort (Java's). */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 19, 20, 21, 40, 41, 100, 1000, 5000})
  void agreesWithJavaStableSort(int size) {
    Random random = new Random(size);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      items.add(new Item(random.nextInt(Math.max(1, size / 3)), i));
    }
    List<Item> expected = new ArrayList<>(items);
    expected.sort(Comparator.comparingInt(Item::key));

    GoStableSort.sort(items, (left, right) -> left.key() < right.key());

    assertThat(items).containsExactlyElementsOf(expected);
  }
}

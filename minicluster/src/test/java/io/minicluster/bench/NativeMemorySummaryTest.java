package io.minicluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMemorySummaryTest {
  private static final String OUTPUT = """
      2474:

      Native Memory Tracking:

      (Omitting categories weighting less than 1KB)

      Total: reserved=1636395KB, committed=167279KB
             mmap:   reserved=1619792KB, committed=150676KB

      -                 Java Heap (reserved=131072KB, committed=58368KB)
                                  (mmap: reserved=131072KB, committed=58368KB)

      -                     Class (reserved=1049150KB, committed=4094KB)
                                  (classes #7000)

      -                    Thread (reserved=73045KB, committed=6761KB)
                                  (thread #71)
                                  (stack: reserved=72840KB, committed=6556KB)

      -                        GC (reserved=42359KB, committed=39679KB)
      -                 Metaspace (reserved=65642KB, committed=25002KB)
      """;

  @Test
  void parsesTotalCategoriesAndThreads() {
    NativeMemorySummary summary = NativeMemorySummary.parse(OUTPUT);

    assertThat(summary.totalCommittedKilobytes()).isEqualTo(167279);
    assertThat(summary.committedKilobytes()).containsEntry("Java Heap", 58368L).containsEntry("Class", 4094L)
        .containsEntry("Thread", 6761L).containsEntry("GC", 39679L).containsEntry("Metaspace", 25002L).hasSize(5);
    assertThat(summary.threads()).isEqualTo(71);
  }

  @Test
  void topIsLargestCommittedFirst() {
    NativeMemorySummary summary = NativeMemorySummary.parse(OUTPUT);

    assertThat(summary.top(3)).containsExactly(Map.entry("Java Heap", 58368L), Map.entry("GC", 39679L),
        Map.entry("Metaspace", 25002L));
  }

  @Test
  void outputWithoutTrackingIsAnError() {
    assertThatThrownBy(() -> NativeMemorySummary.parse("2474:\nNative memory tracking is not enabled\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NativeMemoryTracking");
  }
}

package io.minicluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessSampleTest {
  private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 3000000 kB\n"
      + "VmHWM:\t  180224 kB\nVmRSS:\t  154996 kB\nRssAnon:\t  120000 kB\nThreads:\t72\n";

  @Test
  void parsesResidentSetPeakThreadsAndCpuTicks() {
    String stat = "2474 (java) S 1 2474 1 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 72 0 5000 2900000000 38749";

    ProcessSample sample = ProcessSample.parse(STATUS, stat);

    assertThat(sample.residentKilobytes()).isEqualTo(154996);
    assertThat(sample.peakResidentKilobytes()).isEqualTo(180224);
    assertThat(sample.threads()).isEqualTo(72);
    assertThat(sample.cpuTicks()).isEqualTo(1234 + 567);
    assertThat(sample.residentMegabytes()).isEqualTo(154996 / 1024.0);
  }

  @Test
  void commandWithSpacesAndParenthesesDoesNotShiftFields() {
    String stat = "42 (my (odd) cmd) R 1 42 1 0 -1 0 0 0 0 0 10 20 0 0 20 0 1 0 5 100 10";

    assertThat(ProcessSample.cpuTicks(stat)).isEqualTo(30);
    assertThat(ProcessSample.childrenCpuTicks(stat)).isEqualTo(0);
    assertThat(ProcessSample.childrenCpuTicks("42 (sh) S 1 42 1 0 -1 0 0 0 0 0 10 20 7 8 20 0 1 0 5 100 10"))
        .isEqualTo(15);
  }

  @Test
  void cpuPercentIsTicksOverWallTime() {
    ProcessSample before = new ProcessSample(1, 1, 1, 100);
    ProcessSample after = new ProcessSample(1, 1, 1, 250);

    // 150 ticks = 1.5 s of CPU over 30 s of wall time
    assertThat(after.cpuPercentSince(before, 30_000_000_000L)).isEqualTo(5.0);
  }

  @Test
  void missingFieldIsAnError() {
    assertThatThrownBy(() -> ProcessSample.parse("Name:\tjava\n", "1 (x) S 1 1 1 0 -1 0 0 0 0 0 1 2 0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VmRSS");
    assertThatThrownBy(() -> ProcessSample.cpuTicks("1 (x) S 1 1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisProcess() throws Exception {
    ProcessSample sample = ProcessSample.read(ProcessHandle.current().pid());

    assertThat(sample.residentKilobytes()).isPositive();
    assertThat(sample.peakResidentKilobytes()).isGreaterThanOrEqualTo(sample.residentKilobytes());
    assertThat(sample.threads()).isPositive();
  }
}

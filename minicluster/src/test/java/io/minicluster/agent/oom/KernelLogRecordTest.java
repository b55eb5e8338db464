package io.minicluster.agent.oom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelLogRecordTest {
  @Test
  void parsesTheDevKmsgForm() {
    KernelLogRecord record = KernelLogRecord.parse(
        "6,1234,139382440,-,caller=T8885;Memory cgroup out of memory: Killed process 8885 (tail)\n"
            + " SUBSYSTEM=memory\n DEVICE=+memory:x\n").orElseThrow();
    assertThat(record.facility()).isZero();
    assertThat(record.level()).isEqualTo(6);
    assertThat(record.sequence()).isEqualTo(1234);
    assertThat(record.monotonicMicros()).isEqualTo(139382440);
    assertThat(record.message()).isEqualTo("Memory cgroup out of memory: Killed process 8885 (tail)");
    assertThat(record.fromKernel()).isTrue();
  }

  @Test
  void recordsWrittenFromUserSpaceAreNotTheKernels() {
    // `echo text > /dev/kmsg` logs with the user facility (priority 12 = facility 1, level 4)
    KernelLogRecord record = KernelLogRecord.parse("12,77,5000,-;oom-kill:constraint=CONSTRAINT_NONE")
        .orElseThrow();
    assertThat(record.facility()).isEqualTo(1);
    assertThat(record.fromKernel()).isFalse();
  }

  @Test
  void rejectsOtherForms() {
    assertThat(KernelLogRecord.parse("no separator")).isEmpty();
    assertThat(KernelLogRecord.parse("6,x,1,-;text")).isEmpty();
    assertThat(KernelLogRecord.parse("6,1;text")).isEmpty();
  }
}

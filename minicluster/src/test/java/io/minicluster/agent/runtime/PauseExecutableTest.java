package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PauseExecutableTest {
  @Test
  void x8664LayoutIsAStaticElfWithOneLoadSegmentAndAPauseLoop() {
    byte[] elf = PauseExecutable.generate(PauseExecutable.Architecture.X86_64);
    ByteBuffer buffer = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Arrays.copyOf(elf, 4)).containsExactly(0x7f, 'E', 'L', 'F');
    assertThat(elf[4]).isEqualTo((byte) 2);
    assertThat(elf[5]).isEqualTo((byte) 1);
    assertThat(buffer.getShort(16)).isEqualTo((short) 2);
    assertThat(buffer.getShort(18)).isEqualTo((short) 62);
    assertThat(buffer.getLong(24)).isEqualTo(0x400000L + 120);
    assertThat(buffer.getLong(32)).isEqualTo(64);
    assertThat(buffer.getShort(54)).isEqualTo((short) 56);
    assertThat(buffer.getShort(56)).isEqualTo((short) 1);
    assertThat(buffer.getInt(64)).isEqualTo(1);
    assertThat(buffer.getInt(68)).isEqualTo(5);
    assertThat(buffer.getLong(72)).isZero();
    assertThat(buffer.getLong(80)).isEqualTo(0x400000L);
    assertThat(buffer.getLong(96)).isEqualTo(elf.length);
    assertThat(buffer.getLong(104)).isEqualTo(elf.length);
    byte[] code = Arrays.copyOfRange(elf, 120, elf.length);
    // mov eax, 34 (pause); syscall; jmp back by the loop's length
    assertThat(code).containsExactly(0xb8, 0x22, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7);
    assertThat((byte) (code.length * -1)).isEqualTo(code[8]);
  }

  @Test
  void aarch64LoopsOnPpollAndBranchesBackToItsStart() {
    byte[] elf = PauseExecutable.generate(PauseExecutable.Architecture.AARCH64);
    ByteBuffer buffer = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(buffer.getShort(18)).isEqualTo((short) 183);
    assertThat(buffer.getLong(24) % 4).isZero();
    int words = (elf.length - 120) / 4;
    assertThat(words).isEqualTo(8);
    assertThat(buffer.getInt(120 + 5 * 4)).isEqualTo(0xd2800000 | (73 << 5) | 8);
    int branch = buffer.getInt(120 + 7 * 4);
    assertThat(branch >>> 26).isEqualTo(0b000101);
    int offset = (branch << 6) >> 6;
    assertThat(offset).isEqualTo(-7);
  }

  @Test
  void unknownArchitecturesAreRefusedClearly() {
    assertThat(PauseExecutable.Architecture.fromEngine("x86_64")).isEqualTo(PauseExecutable.Architecture.X86_64);
    assertThat(PauseExecutable.Architecture.fromEngine("arm64")).isEqualTo(PauseExecutable.Architecture.AARCH64);
    assertThatThrownBy(() -> PauseExecutable.Architecture.fromEngine("s390x"))
        .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("s390x");
  }

  @Test
  void imageArchiveIsADeterministicDockerSaveTarWithAnExecutablePause() {
    byte[] archive = PauseImageArchive.build("minicluster.local/pause:1", PauseExecutable.Architecture.X86_64);
    assertThat(archive).isEqualTo(PauseImageArchive.build("minicluster.local/pause:1",
        PauseExecutable.Architecture.X86_64));
    assertThat(archive.length % 512).isZero();
    String text = new String(archive, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("manifest.json").contains("\"RepoTags\":[\"minicluster.local/pause:1\"]")
        .contains("\"Cmd\":[\"/pause\"]").contains("/layer.tar").contains("ustar");
    int pauseHeader = text.indexOf("pause\0");
    assertThat(text.substring(pauseHeader + 100, pauseHeader + 107)).isEqualTo("0000755");
  }

  @Test
  void tarHeaderChecksumIsValid() {
    TarArchiveWriter writer = new TarArchiveWriter();
    writer.addFile("a.txt", 0644, "hello".getBytes(StandardCharsets.US_ASCII));
    byte[] tar = writer.finish();
    assertThat(tar).hasSize(512 * 4);
    long sum = 0;
    for (int index = 0; index < 512; index++) {
      sum += (index >= 148 && index < 156) ? ' ' : tar[index] & 0xff;
    }
    String stored = new String(tar, 148, 6, StandardCharsets.US_ASCII);
    assertThat(Long.parseLong(stored, 8)).isEqualTo(sum);
    assertThat(new String(tar, 124, 11, StandardCharsets.US_ASCII)).isEqualTo("00000000005");
    assertThat(new String(tar, 512, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
  }
}

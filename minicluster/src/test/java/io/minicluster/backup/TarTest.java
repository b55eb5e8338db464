package io.minicluster.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {
  @TempDir
  Path temporary;

  private static byte[] archive() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Tar.Writer writer = new Tar.Writer(out);
    byte[] big = new byte[1000];
    Arrays.fill(big, (byte) 'x');
    writer.file("a.txt", 0644, 5, new ByteArrayInputStream("hello".getBytes(StandardCharsets.US_ASCII)),
        Instant.ofEpochSecond(1_700_000_000));
    writer.directory("dir", 0700, Instant.ofEpochSecond(1_700_000_000));
    writer.file("dir/big", 0600, big.length, new ByteArrayInputStream(big), Instant.ofEpochSecond(1_700_000_000));
    writer.finish();
    return out.toByteArray();
  }

  @Test
  void entriesReadBackAsWritten() throws IOException {
    byte[] bytes = archive();
    assertThat(bytes.length % 512).isZero();
    Tar.Reader reader = new Tar.Reader(new ByteArrayInputStream(bytes));
    Tar.Entry first = reader.next();
    assertThat(first).isEqualTo(new Tar.Entry("a.txt", false, 0644, 5, Instant.ofEpochSecond(1_700_000_000)));
    assertThat(new String(reader.content().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(reader.next().name()).isEqualTo("dir/");
    Tar.Entry big = reader.next();
    assertThat(big.size()).isEqualTo(1000);
    // not reading the content: next() skips it
    assertThat(reader.next()).isNull();
  }

  @Test
  void theSystemTarReadsTheArchive() throws Exception {
    Path file = temporary.resolve("a.tar");
    Files.write(file, archive());
    Process process = new ProcessBuilder("tar", "-tvf", file.toString()).redirectErrorStream(true).start();
    String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(listing).isZero();
    assertThat(listing.lines().map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList())
        .isEqualTo(List.of("a.txt", "dir/", "dir/big"));
  }

  @Test
  void aBadChecksumOrTruncationIsAnError() throws IOException {
    byte[] bytes = archive();
    byte[] damaged = bytes.clone();
    damaged[10] = 'z';
    assertThatThrownBy(() -> new Tar.Reader(new ByteArrayInputStream(damaged)).next())
        .hasMessageContaining("bad tar header checksum");
    byte[] truncated = Arrays.copyOf(bytes, 512 + 100);
    Tar.Reader reader = new Tar.Reader(new ByteArrayInputStream(truncated));
    reader.next();
    assertThatThrownBy(reader::next).hasMessageContaining("truncated");
  }

  @Test
  void linksAreRefused() throws IOException {
    byte[] bytes = archive();
    bytes[156] = '2';
    // fix the checksum so that only the type is wrong
    Arrays.fill(bytes, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += bytes[i] & 0xff;
    }
    byte[] digits = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, bytes, 148, 8);
    assertThatThrownBy(() -> new Tar.Reader(new ByteArrayInputStream(bytes)).next())
        .hasMessageContaining("unsupported tar entry type '2'");
  }
}

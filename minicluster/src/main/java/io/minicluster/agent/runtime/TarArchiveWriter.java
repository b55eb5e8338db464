package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a POSIX ustar archive in memory (regular files and directories, short names). */
final class TarArchiveWriter {
  private static final int BLOCK = 512;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private boolean finished;

  void addFile(String name, int mode, byte[] content) {
    requireNonNull(content, "content is null");
    writeHeader(name, mode, content.length, (byte) '0');
    output.writeBytes(content);
    pad(content.length);
  }

  void addDirectory(String name, int mode) {
    writeHeader(name.endsWith("/") ? name : name + "/", mode, 0, (byte) '5');
  }

  /** Ends the archive (two zero blocks) and returns its bytes. */
  byte[] finish() {
    if (!finished) {
      output.writeBytes(new byte[2 * BLOCK]);
      finished = true;
    }
    return output.toByteArray();
  }

  private void writeHeader(String name, int mode, long size, byte type) {
    requireNonNull(name, "name is null");
    if (finished) {
      throw new IllegalStateException("archive already finished");
    }
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
    }
    byte[] header = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
    putOctal(header, 100, 8, mode);
    putOctal(header, 108, 8, 0); // uid
    putOctal(header, 116, 8, 0); // gid
    putOctal(header, 124, 12, size);
    putOctal(header, 136, 12, 0); // mtime: epoch, for reproducible image ids
    header[156] = type;
    byte[] magic = "ustar\0".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, header, 257, magic.length);
    header[263] = '0';
    header[264] = '0';
    byte[] owner = "root".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(owner, 0, header, 265, owner.length);
    System.arraycopy(owner, 0, header, 297, owner.length);
    for (int index = 148; index < 156; index++) {
      header[index] = ' ';
    }
    long checksum = 0;
    for (byte value : header) {
      checksum += value & 0xff;
    }
    putOctal(header, 148, 7, checksum);
    header[155] = ' ';
    output.writeBytes(header);
  }

  private void pad(long size) {
    int remainder = (int) (size % BLOCK);
    if (remainder != 0) {
      output.writeBytes(new byte[BLOCK - remainder]);
    }
  }

  /** Writes {@code value} as zero-padded octal filling {@code length - 1} bytes, then a NUL. */
  private static void putOctal(byte[] header, int offset, int length, long value) {
    String octal = Long.toOctalString(value);
    if (octal.length() > length - 1) {
      throw new IllegalArgumentException("value too large for tar header field: " + value);
    }
    String padded = "0".repeat(length - 1 - octal.length()) + octal;
    byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
    header[offset + length - 1] = 0;
  }
}

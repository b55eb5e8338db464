package io.minicluster.backup;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The POSIX ustar subset backups use: regular files and directories with names of at most 100 bytes, sizes below
 * 8 GiB. {@link Writer} streams entries out; {@link Reader} streams them in and refuses anything else (links, devices,
 * long-name extensions, bad header checksums), so a tampered or foreign archive fails before it is used.
 */
final class Tar {
  static final int BLOCK = 512;
  private static final long MAX_SIZE = 077777777777L;

  private Tar() {}

  /** One archive member. */
  record Entry(String name, boolean directory, int mode, long size, Instant modified) {
    Entry {
      requireNonNull(name, "name is null");
      requireNonNull(modified, "modified is null");
    }
  }

  /** Writes entries to a stream; {@link #finish} writes the end-of-archive blocks. */
  static final class Writer {
    private final OutputStream out;
    private boolean finished;

    Writer(OutputStream out) {
      this.out = requireNonNull(out, "out is null");
    }

    void directory(String name, int mode, Instant modified) throws IOException {
      header(new Entry(name.endsWith("/") ? name : name + "/", true, mode, 0, modified));
    }

    /** Writes a file of exactly {@code size} bytes read from {@code content}. */
    void file(String name, int mode, long size, InputStream content, Instant modified) throws IOException {
      header(new Entry(name, false, mode, size, modified));
      byte[] buffer = new byte[64 * 1024];
      long left = size;
      while (left > 0) {
        int read = content.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          throw new EOFException(name + " ended " + left + " bytes early");
        }
        out.write(buffer, 0, read);
        left -= read;
      }
      pad(size);
    }

    void finish() throws IOException {
      if (!finished) {
        out.write(new byte[2 * BLOCK]);
        finished = true;
      }
      out.flush();
    }

    private void header(Entry entry) throws IOException {
      if (finished) {
        throw new IllegalStateException("archive already finished");
      }
      byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
      if (name.length > 100) {
        throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + entry.name());
      }
      if (entry.size() > MAX_SIZE) {
        throw new IllegalArgumentException(entry.name() + " is larger than 8 GiB");
      }
      byte[] header = new byte[BLOCK];
      System.arraycopy(name, 0, header, 0, name.length);
      octal(header, 100, 8, entry.mode() & 07777);
      octal(header, 108, 8, 0);
      octal(header, 116, 8, 0);
      octal(header, 124, 12, entry.size());
      octal(header, 136, 12, Math.max(0, entry.modified().getEpochSecond()));
      header[156] = (byte) (entry.directory() ? '5' : '0');
      ascii(header, 257, "ustar\0");
      ascii(header, 263, "00");
      ascii(header, 265, "root");
      ascii(header, 297, "root");
      Arrays.fill(header, 148, 156, (byte) ' ');
      octal(header, 148, 7, checksum(header));
      out.write(header);
    }

    private void pad(long size) throws IOException {
      int remainder = (int) (size % BLOCK);
      if (remainder != 0) {
        out.write(new byte[BLOCK - remainder]);
      }
    }
  }

  /** Reads entries from a stream: {@link #next} then {@link #content} for files. */
  static final class Reader {
    private final InputStream in;
    private long unread;
    private long padding;

    Reader(InputStream in) {
      this.in = requireNonNull(in, "in is null");
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
      skipFully(unread + padding);
      unread = 0;
      padding = 0;
      byte[] header = new byte[BLOCK];
      if (!readBlock(header)) {
        throw new EOFException("the archive ends without its end-of-archive blocks (truncated?)");
      }
      if (allZero(header)) {
        return null;
      }
      long stored = parseOctal(header, 148, 8);
      Arrays.fill(header, 148, 156, (byte) ' ');
      if (stored != checksum(header)) {
        throw new IOException("bad tar header checksum: the archive is damaged or not a tar file");
      }
      if (!new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        throw new IOException("not a ustar archive");
      }
      int nameEnd = 0;
      while (nameEnd < 100 && header[nameEnd] != 0) {
        nameEnd++;
      }
      String name = new String(header, 0, nameEnd, StandardCharsets.UTF_8);
      if (header[345] != 0) {
        throw new IOException("unsupported long name (ustar prefix) for " + name);
      }
      byte type = header[156];
      long size = parseOctal(header, 124, 12);
      int mode = (int) parseOctal(header, 100, 8);
      Instant modified = Instant.ofEpochSecond(parseOctal(header, 136, 12));
      if (type == '5') {
        return new Entry(name, true, mode, 0, modified);
      }
      if (type != '0' && type != 0) {
        throw new IOException("unsupported tar entry type '" + (char) type + "' for " + name);
      }
      unread = size;
      padding = size % BLOCK == 0 ? 0 : BLOCK - size % BLOCK;
      return new Entry(name, false, mode, size, modified);
    }

    /** The content of the current file entry; read it before calling {@link #next} again. */
    InputStream content() {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          if (unread == 0) {
            return -1;
          }
          int read = in.read(buffer, offset, (int) Math.min(length, unread));
          if (read < 0) {
            throw new EOFException("the archive ends inside a file (truncated?)");
          }
          unread -= read;
          return read;
        }
      };
    }

    private boolean readBlock(byte[] block) throws IOException {
      int filled = 0;
      while (filled < block.length) {
        int read = in.read(block, filled, block.length - filled);
        if (read < 0) {
          return false;
        }
        filled += read;
      }
      return true;
    }

    private void skipFully(long count) throws IOException {
      long left = count;
      byte[] buffer = new byte[8192];
      while (left > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          throw new EOFException("the archive ends inside a file (truncated?)");
        }
        left -= read;
      }
    }
  }

  private static long checksum(byte[] header) {
    long sum = 0;
    for (byte value : header) {
      sum += value & 0xff;
    }
    return sum;
  }

  private static boolean allZero(byte[] block) {
    for (byte value : block) {
      if (value != 0) {
        return false;
      }
    }
    return true;
  }

  private static void ascii(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  /** Zero-padded octal in {@code length - 1} digits and a NUL. */
  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException("value " + value + " does not fit in a tar header field");
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    ascii(header, offset, padded);
    header[offset + length - 1] = 0;
  }

  private static long parseOctal(byte[] header, int offset, int length) throws IOException {
    long value = 0;
    boolean digits = false;
    for (int i = offset; i < offset + length; i++) {
      byte b = header[i];
      if (b == 0 || (b == ' ' && digits)) {
        break;
      }
      if (b == ' ') {
        continue;
      }
      if (b < '0' || b > '7') {
        throw new IOException("bad number in tar header: the archive is damaged or not a tar file");
      }
      value = value * 8 + (b - '0');
      digits = true;
    }
    return value;
  }
}

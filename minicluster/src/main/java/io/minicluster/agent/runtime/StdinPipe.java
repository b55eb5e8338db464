package io.minicluster.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Connects the caller's writes (the session's stdin) to the InputStream the engine client copies from. Unlike piped
 * streams it does not care which threads write and read. Closing the output side gives end-of-file on the input side.
 */
final class StdinPipe {
  private static final byte[] END = new byte[0];
  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  private final OutputStream output = new OutputStream() {
    @Override
    public void write(int value) throws IOException {
      write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException("stdin is closed");
      }
      if (length > 0) {
        byte[] copy = new byte[length];
        System.arraycopy(bytes, offset, copy, 0, length);
        chunks.add(copy);
      }
    }

    @Override
    public void close() {
      StdinPipe.this.close();
    }
  };

  private final InputStream input = new InputStream() {
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int count = read(one, 0, 1);
      return count < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position >= current.length) {
        if (ended) {
          return -1;
        }
        try {
          byte[] next = chunks.take();
          if (next == END) {
            ended = true;
            return -1;
          }
          current = next;
          position = 0;
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for stdin");
        }
      }
      int count = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, count);
      position += count;
      return count;
    }

    @Override
    public void close() {
      StdinPipe.this.close();
    }
  };

  OutputStream outputStream() {
    return output;
  }

  InputStream inputStream() {
    return input;
  }

  void close() {
    if (!closed) {
      closed = true;
      chunks.add(END);
    }
  }
}

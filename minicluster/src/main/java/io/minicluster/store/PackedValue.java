package io.minicluster.store;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A stored value as the store keeps it in memory, in its current table and its watch history (one instance per
 * revision, shared by both): deflated against a dictionary of its resource type, else as given. Values of one type
 * repeat the same field names, defaults and boilerplate (a pod's tolerations, service account volume, conditions):
 * against an earlier value of the type as dictionary a 3 KB pod keeps about 400 bytes. The dictionary of a type is a
 * copy of the first value of at least {@link #MIN_DICTIONARY} bytes seen under the type's key prefix; it never
 * changes, and each packed value holds the dictionary it was deflated against, so any value unpacks whatever came
 * later.
 *
 * <p>Immutable; {@link #unpack()} returns a new array each call.
 */
final class PackedValue {
  /** Values shorter than this are kept as given: deflating them saves too little. */
  static final int MIN_PACKED = 128;
  /** The shortest value that becomes its type's dictionary. */
  static final int MIN_DICTIONARY = 512;
  /** Deflate looks back 32 KB at most: the rest of a longer first value would be of no use as a dictionary. */
  private static final int MAX_DICTIONARY = 32 * 1024;
  /** Types with a dictionary at most (a bound on the memory the dictionaries take, about 3 KB each). */
  private static final int MAX_DICTIONARIES = 1024;
  /** (De)compressors kept for reuse; each holds native memory (a deflater about 256 KB, an inflater about 40 KB). */
  private static final int POOLED = 4;

  private static final Map<String, byte[]> DICTIONARIES = new ConcurrentHashMap<>();
  private static final BlockingQueue<Deflater> DEFLATERS = new ArrayBlockingQueue<>(POOLED);
  private static final BlockingQueue<Inflater> INFLATERS = new ArrayBlockingQueue<>(POOLED);

  /** The deflated bytes, or the value itself when {@code dictionary} is null and {@code length} is -1. */
  private final byte[] data;
  /** The dictionary {@link #data} was deflated against; null for a value kept as given. */
  private final byte[] dictionary;
  /** The length of the value; -1 for a value kept as given. */
  private final int length;

  private PackedValue(byte[] data, byte[] dictionary, int length) {
    this.data = data;
    this.dictionary = dictionary;
    this.length = length;
  }

  /**
   * Packs the value stored under {@code key}, taking {@code value} over: the caller must not change it afterwards (it
   * may be held as is).
   */
  static PackedValue pack(String key, byte[] value) {
    requireNonNull(key, "key is null");
    requireNonNull(value, "value is null");
    if (value.length < MIN_PACKED) {
      return new PackedValue(value, null, -1);
    }
    byte[] dictionary = dictionary(key, value);
    byte[] deflated = deflate(value, dictionary);
    return deflated == null ? new PackedValue(value, null, -1) : new PackedValue(deflated, dictionary, value.length);
  }

  /** The value, in a new array. */
  byte[] unpack() {
    return length < 0 ? data.clone() : inflate(data, dictionary, length);
  }

  /** The bytes this value holds (besides the dictionary, shared by every value of the type). */
  int size() {
    return data.length;
  }

  /** The value's length. */
  int length() {
    return length < 0 ? data.length : length;
  }

  /**
   * The key's type, as the prefix of its first four slashes ({@code /registry/core/pods/}), or its parent when it
   * has fewer.
   */
  static String typePrefix(String key) {
    int slash = -1;
    for (int i = 0; i < 4; i++) {
      int next = key.indexOf('/', slash + 1);
      if (next < 0) {
        return key.substring(0, Math.max(0, key.lastIndexOf('/') + 1));
      }
      slash = next;
    }
    return key.substring(0, slash + 1);
  }

  /** The dictionary of the key's type (a copy of {@code value} when it is the first), or null for none. */
  private static byte[] dictionary(String key, byte[] value) {
    String type = typePrefix(key);
    byte[] known = DICTIONARIES.get(type);
    if (known != null || value.length < MIN_DICTIONARY || DICTIONARIES.size() >= MAX_DICTIONARIES) {
      return known;
    }
    return DICTIONARIES.computeIfAbsent(type,
        t -> Arrays.copyOfRange(value, Math.max(0, value.length - MAX_DICTIONARY), value.length));
  }

  /** The value deflated (against {@code dictionary} if not null), or null when that saves nothing. */
  private static byte[] deflate(byte[] value, byte[] dictionary) {
    Deflater deflater = DEFLATERS.poll();
    if (deflater == null) {
      deflater = new Deflater(Deflater.BEST_SPEED, true);
    }
    try {
      if (dictionary != null) {
        deflater.setDictionary(dictionary);
      }
      deflater.setInput(value);
      deflater.finish();
      // worth it only when at least an eighth smaller
      byte[] out = new byte[value.length - value.length / 8];
      int written = 0;
      while (!deflater.finished() && written < out.length) {
        written += deflater.deflate(out, written, out.length - written);
      }
      return deflater.finished() ? Arrays.copyOf(out, written) : null;
    } finally {
      deflater.reset();
      if (!DEFLATERS.offer(deflater)) {
        deflater.end();
      }
    }
  }

  private static byte[] inflate(byte[] data, byte[] dictionary, int length) {
    Inflater inflater = INFLATERS.poll();
    if (inflater == null) {
      inflater = new Inflater(true);
    }
    try {
      if (dictionary != null) {
        inflater.setDictionary(dictionary);
      }
      inflater.setInput(data);
      byte[] out = new byte[length];
      int read = 0;
      while (read < length) {
        int n = inflater.inflate(out, read, length - read);
        if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalStateException("packed value ends after " + read + " of " + length + " bytes");
        }
        read += n;
      }
      return out;
    } catch (DataFormatException e) {
      throw new IllegalStateException("packed value is corrupt", e);
    } finally {
      inflater.reset();
      if (!INFLATERS.offer(inflater)) {
        inflater.end();
      }
    }
  }
}

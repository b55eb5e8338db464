package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Upstream responses by question, each kept for the smallest TTL it holds (or, for a negative answer, the SOA's
 * negative-caching TTL), capped at a maximum as CoreDNS's {@code cache 30} caps them; served with TTLs lowered by the
 * time spent in the cache. Least recently used entries go first when it is full. Thread-safe.
 */
final class ResponseCache {
  /** What a response is cached under: the question (name in lower case) and the bits that change the answer. */
  record Key(String name, int type, int dnsClass, boolean dnssecOk, boolean checkingDisabled) {
    Key {
      requireNonNull(name, "name is null");
    }
  }

  /** A cached response and when it was stored. */
  record Entry(RawMessage message, long storedNanos, long ttlSeconds) {
    long elapsedSeconds(long nowNanos) {
      return (nowNanos - storedNanos) / 1_000_000_000L;
    }
  }

  private final int maxEntries;
  private final long maxTtlSeconds;
  private final long maxNegativeTtlSeconds;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<Key, Entry> entries;

  ResponseCache(int maxEntries, long maxTtlSeconds, long maxNegativeTtlSeconds, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    this.maxTtlSeconds = maxTtlSeconds;
    this.maxNegativeTtlSeconds = maxNegativeTtlSeconds;
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
        return size() > ResponseCache.this.maxEntries;
      }
    };
  }

  /** The live entry for {@code key}, or null. */
  synchronized Entry get(Key key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (nanoTime.getAsLong() - entry.storedNanos >= entry.ttlSeconds * 1_000_000_000L) {
      entries.remove(key);
      return null;
    }
    return entry;
  }

  /** Stores {@code message} if it may be cached; returns the entry to serve it from. */
  synchronized Entry put(Key key, RawMessage message) {
    long ttl = message.cacheTtl();
    boolean negative = message.rcode() == RecordTypes.NXDOMAIN || message.answerCount() == 0;
    ttl = Math.min(ttl, negative ? maxNegativeTtlSeconds : maxTtlSeconds);
    Entry entry = new Entry(message, nanoTime.getAsLong(), Math.max(ttl, 0));
    if (ttl > 0 && maxEntries > 0) {
      entries.put(key, entry);
    }
    return entry;
  }

  synchronized int size() {
    return entries.size();
  }
}

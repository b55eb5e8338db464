package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides, before anything is written, what becomes of an event, as client-go's {@code EventCorrelator} does:
 * <ul>
 *   <li>aggregation: when a source reports more than {@value #AGGREGATE_MAX_EVENTS} events about an object with the
 *       same type and reason but different messages within {@code AGGREGATE_INTERVAL} (10 minutes) of each other,
 *       they become one event whose message starts "(combined from similar events): ";</li>
 *   <li>counting: an event identical to one recorded before (source, object, field path, type, reason, message) updates
 *       that event's {@code count} and {@code lastTimestamp} instead of creating another object;</li>
 *   <li>spam filtering: a source may write {@value #SPAM_BURST} events about one object at once, then one every five
 *       minutes (a token bucket per source and object), so an object that is always unhealthy cannot fill the store.</li>
 * </ul>
 * Every cache is a least-recently-used map of {@value #CACHE_ENTRIES} entries. Thread-safe; the caller says when each
 * event occurred.
 */
final class EventCorrelator {
  static final int CACHE_ENTRIES = 4096;
  static final int AGGREGATE_MAX_EVENTS = 10;
  static final Duration AGGREGATE_INTERVAL = Duration.ofMinutes(10);
  static final int SPAM_BURST = 25;
  /** One token every five minutes. */
  static final double SPAM_TOKENS_PER_SECOND = 1.0 / 300;
  static final String COMBINED_PREFIX = "(combined from similar events): ";

  /** What an event is: who reports it, about what, and what it says. */
  record Occurrence(String component, String host, String kind, String namespace, String name, String uid,
      String apiVersion, String fieldPath, String type, String reason, String message) {
    Occurrence {
      requireNonNull(component, "component is null");
      requireNonNull(host, "host is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(namespace, "namespace is null");
      requireNonNull(name, "name is null");
      requireNonNull(uid, "uid is null");
      requireNonNull(apiVersion, "apiVersion is null");
      requireNonNull(fieldPath, "fieldPath is null");
      requireNonNull(type, "type is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(message, "message is null");
    }

    /** Source and object: the spam filter's key. */
    String spamKey() {
      return String.join("\u0000", component, host, kind, namespace, name, uid, apiVersion);
    }

    /** Source, object, type and reason: events differing only in their message are "similar". */
    String aggregateKey() {
      return String.join("\u0000", spamKey(), type, reason);
    }

    /** Everything but the time: identical events are counted as one. */
    String eventKey() {
      return String.join("\u0000", spamKey(), fieldPath, type, reason, message);
    }

    Occurrence withMessage(String text) {
      return new Occurrence(component, host, kind, namespace, name, uid, apiVersion, fieldPath, type, reason, text);
    }
  }

  /**
   * The decision about one occurrence.
   *
   * @param skip whether to write nothing (spam)
   * @param occurrence what to record (its message may be the aggregate's)
   * @param key the key to report the written object's name under ({@link #recorded})
   * @param existingName the name of the event object to update, null to create one
   * @param count the count the event object should have
   * @param firstTimestamp when the event object first occurred
   */
  record Decision(boolean skip, Occurrence occurrence, String key, String existingName, int count,
      Instant firstTimestamp) {}

  private record Observation(String name, int count, Instant firstTimestamp) {}

  private record Similar(Set<String> messages, Instant last) {}

  private static final class TokenBucket {
    double tokens = SPAM_BURST;
    Instant refilled;

    TokenBucket(Instant now) {
      refilled = now;
    }

    boolean tryTake(Instant now) {
      double seconds = Math.max(0, Duration.between(refilled, now).toNanos() / 1e9);
      tokens = Math.min(SPAM_BURST, tokens + seconds * SPAM_TOKENS_PER_SECOND);
      refilled = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  private final Map<String, Similar> similar = lru();
  private final Map<String, Observation> observed = lru();
  private final Map<String, TokenBucket> buckets = lru();

  /**
   * Aggregates, counts and filters one occurrence (in client-go's order: the count goes on even while filtered).
   *
   * @param now when it occurred
   */
  synchronized Decision correlate(Occurrence occurrence, Instant now) {
    requireNonNull(occurrence, "occurrence is null");
    requireNonNull(now, "now is null");
    Occurrence recorded = occurrence;
    String key = occurrence.eventKey();
    String aggregateKey = occurrence.aggregateKey();
    Similar group = similar.get(aggregateKey);
    if (group == null || Duration.between(group.last(), now).compareTo(AGGREGATE_INTERVAL) > 0) {
      group = new Similar(new HashSet<>(), now);
    }
    group.messages().add(occurrence.message());
    similar.put(aggregateKey, new Similar(group.messages(), now));
    if (group.messages().size() >= AGGREGATE_MAX_EVENTS) {
      // keep the set at its bound; from now on similar events count up one combined event
      group.messages().remove(group.messages().iterator().next());
      recorded = occurrence.withMessage(COMBINED_PREFIX + occurrence.message());
      key = aggregateKey;
    }

    Observation last = observed.get(key);
    Decision decision = last == null
        ? new Decision(false, recorded, key, null, 1, now)
        : new Decision(false, recorded, key, last.name(), last.count() + 1, last.firstTimestamp());
    observed.put(key, new Observation(last == null ? null : last.name(), decision.count(),
        decision.firstTimestamp()));

    TokenBucket bucket = buckets.computeIfAbsent(occurrence.spamKey(), k -> new TokenBucket(now));
    if (!bucket.tryTake(now)) {
      return new Decision(true, recorded, key, decision.existingName(), decision.count(), decision.firstTimestamp());
    }
    return decision;
  }

  /** What the server now has under a decision's key (after a create or an update). */
  synchronized void recorded(String key, String name, int count, Instant firstTimestamp) {
    observed.put(key, new Observation(name, count, firstTimestamp));
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CACHE_ENTRIES;
      }
    };
  }
}

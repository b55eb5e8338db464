package io.minicluster.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of the most recent events, contiguous in revision: it holds every event with a revision in
 * {@code (floor, newest]}, at most {@code capacity} of them and at most {@code maxBytes} of keys and values (the newest
 * event is always held). Not thread-safe; {@link SqliteStore} guards it with its state lock.
 */
final class EventHistory {
  /** What an event costs besides its key and value: the event, its array and string headers, a ring slot. */
  private static final int EVENT_OVERHEAD = 96;
  private final Store.Event[] ring;
  private final long maxBytes;
  private int head;
  private int size;
  private long floor;
  private long bytes;

  EventHistory(int capacity, long maxBytes, long floor) {
    if (capacity < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("capacity and maxBytes must be positive: " + capacity + ", " + maxBytes);
    }
    this.ring = new Store.Event[capacity];
    this.maxBytes = maxBytes;
    this.floor = floor;
  }

  /** Every event with a revision greater than this is held. */
  long floor() {
    return floor;
  }

  /** The newest revision held, or {@link #floor()} when empty. */
  long newest() {
    return floor + size;
  }

  int size() {
    return size;
  }

  /** The estimated memory the held events take. */
  long bytes() {
    return bytes;
  }

  /**
   * Appends the next event; its revision must be exactly {@code newest() + 1}. Drops the oldest while the ring is
   * full or the bytes would exceed the bound.
   */
  void add(Store.Event event) {
    if (event.revision() != newest() + 1) {
      throw new IllegalStateException("history gap: expected revision " + (newest() + 1) + ", got " + event.revision());
    }
    long cost = cost(event);
    while (size > 0 && (size == ring.length || bytes + cost > maxBytes)) {
      Store.Event oldest = ring[head];
      floor = oldest.revision();
      bytes -= cost(oldest);
      ring[head] = null;
      head = (head + 1) % ring.length;
      size--;
    }
    ring[(head + size) % ring.length] = event;
    size++;
    bytes += cost;
  }

  private static long cost(Store.Event event) {
    return EVENT_OVERHEAD + 2L * event.key().length() + event.packed().size();
  }

  /** Events with revision greater than {@code afterRevision} whose key starts with {@code prefix}, oldest first. */
  List<Store.Event> eventsAfter(long afterRevision, String prefix) {
    List<Store.Event> result = new ArrayList<>();
    long skip = Math.max(0, afterRevision - floor);
    for (long index = skip; index < size; index++) {
      Store.Event event = ring[(int) ((head + index) % ring.length)];
      if (event.key().startsWith(prefix)) {
        result.add(event);
      }
    }
    return result;
  }
}

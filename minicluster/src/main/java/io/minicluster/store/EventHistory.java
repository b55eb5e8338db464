package io.minicluster.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of the most recent events, contiguous in revision: it holds every event with a revision in
 * {@code (floor, newest]}. Not thread-safe; {@link SqliteStore} guards it with its state lock.
 */
final class EventHistory {
  private final Store.Event[] ring;
  private int head;
  private int size;
  private long floor;

  EventHistory(int capacity, long floor) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.ring = new Store.Event[capacity];
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

  /** Appends the next event; its revision must be exactly {@code newest() + 1}. Drops the oldest when full. */
  void add(Store.Event event) {
    if (event.revision() != newest() + 1) {
      throw new IllegalStateException("history gap: expected revision " + (newest() + 1) + ", got " + event.revision());
    }
    if (size == ring.length) {
      floor = ring[head].revision();
      ring[head] = event;
      head = (head + 1) % ring.length;
    } else {
      ring[(head + size) % ring.length] = event;
      size++;
    }
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

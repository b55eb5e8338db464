package io.minicluster.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered watch: a bounded queue of pending notifications, drained by a shared executor so that the store's
 * writer never waits for a listener. At most one drain runs per watcher at a time, which keeps delivery in order.
 *
 * <p>Replayed history does not count against the capacity; live events do. A watcher whose live backlog reaches the
 * capacity is closed with {@code onClose("too slow")}, and the client is expected to watch again.
 */
final class Watcher implements Store.Watch {
  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
  private static final int MAX_ITEMS_PER_DRAIN = 256;

  private sealed interface Item permits EventItem, ProgressItem, CloseItem {}

  private record EventItem(Store.Event event, boolean live) implements Item {}

  private record ProgressItem(long revision) implements Item {}

  private record CloseItem(String reason) implements Item {}

  private final String prefix;
  private final Store.WatchListener listener;
  private final int capacity;
  private final Executor executor;
  private final Consumer<Watcher> onClosed;

  // Guarded by this.
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private int pendingLive;
  private boolean scheduled;
  private boolean closed;

  Watcher(
      String prefix, Store.WatchListener listener, int capacity, Executor executor, Consumer<Watcher> onClosed) {
    this.prefix = requireNonNull(prefix, "prefix is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.capacity = capacity;
    this.executor = requireNonNull(executor, "executor is null");
    this.onClosed = requireNonNull(onClosed, "onClosed is null");
  }

  boolean matches(String key) {
    return key.startsWith(prefix);
  }

  /** Queues replayed history followed by a progress notification at {@code revision}. */
  synchronized void start(List<Store.Event> replay, long revision) {
    for (Store.Event event : replay) {
      queue.add(new EventItem(event, false));
    }
    queue.add(new ProgressItem(revision));
    schedule();
  }

  /** Queues a live event; closes the watcher as too slow if its live backlog is full. Never blocks. */
  synchronized void offer(Store.Event event) {
    if (closed) {
      return;
    }
    if (pendingLive >= capacity) {
      closeFromStore("too slow");
      return;
    }
    pendingLive++;
    queue.add(new EventItem(event, true));
    schedule();
  }

  /** Queues a progress notification if nothing else is pending (an idle watcher gets bookmarks). */
  synchronized void offerProgressIfIdle(long revision) {
    if (closed || !queue.isEmpty()) {
      return;
    }
    queue.add(new ProgressItem(revision));
    schedule();
  }

  /** Ends the watch from the store's side: pending items are dropped and {@code onClose(reason)} follows. */
  synchronized void closeFromStore(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    pendingLive = 0;
    queue.add(new CloseItem(reason));
    schedule();
    onClosed.accept(this);
  }

  /** Ends the watch from the client's side; no further callbacks, no {@code onClose}. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      pendingLive = 0;
    }
    onClosed.accept(this);
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private void schedule() {
    if (scheduled) {
      return;
    }
    scheduled = true;
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      scheduled = false;
      queue.clear();
      closed = true;
    }
  }

  private void drain() {
    for (int delivered = 0; delivered < MAX_ITEMS_PER_DRAIN; delivered++) {
      Item item;
      synchronized (this) {
        item = queue.poll();
        if (item == null) {
          scheduled = false;
          return;
        }
        if (item instanceof EventItem eventItem && eventItem.live()) {
          pendingLive--;
        }
      }
      deliver(item);
    }
    synchronized (this) {
      // Yield the executor thread to other watchers, then continue.
      scheduled = false;
      if (!queue.isEmpty()) {
        schedule();
      }
    }
  }

  private void deliver(Item item) {
    try {
      if (item instanceof EventItem eventItem) {
        listener.onEvent(eventItem.event());
      } else if (item instanceof ProgressItem progressItem) {
        listener.onProgress(progressItem.revision());
      } else if (item instanceof CloseItem closeItem) {
        listener.onClose(closeItem.reason());
      }
    } catch (RuntimeException e) {
      LOG.warn("watch listener for prefix {} failed; closing the watch", prefix, e);
      if (!(item instanceof CloseItem)) {
        closeFromStore("listener failed: " + e);
      }
    }
  }
}

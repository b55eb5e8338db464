package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.meta.WatchSink;
import io.minicluster.store.Store;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The events one filtered watch sees (the cacher's watch filtering): the store's events of keys, turned into what
 * a watcher of a selector sees. An object that starts matching is ADDED, one that stops matching is DELETED, changes
 * of objects that never matched are not sent. Not thread-safe: the store delivers one watch's events in order.
 */
public final class WatchMatcher {
  private final Predicate<ObjectNode> filter;
  private final WatchSink sink;
  /** The keys the watcher knows as matching. */
  private final Set<String> matched = new HashSet<>();

  public WatchMatcher(Predicate<ObjectNode> filter, WatchSink sink) {
    this.filter = requireNonNull(filter, "filter is null");
    this.sink = requireNonNull(sink, "sink is null");
  }

  /** An object of the initial state: sent as ADDED when it matches (a watch from "now" or a streaming list). */
  public void initial(String key, ObjectNode object) {
    if (filter.test(object)) {
      matched.add(key);
      sink.event("ADDED", object);
    }
  }

  /** An object the watcher already knows from the list it watches from: remembered if it matches, not sent. */
  public void known(String key, ObjectNode object) {
    if (filter.test(object)) {
      matched.add(key);
    }
  }

  /** A store event of the key, with the object decoded. */
  public void event(Store.Event.Type type, String key, ObjectNode object) {
    boolean matches = filter.test(object);
    boolean known = matched.contains(key);
    switch (type) {
      case ADDED, MODIFIED -> {
        if (matches) {
          matched.add(key);
          sink.event(known ? "MODIFIED" : "ADDED", object);
        } else if (known) {
          matched.remove(key);
          sink.event("DELETED", object);
        }
      }
      case DELETED -> {
        if (known || matches) {
          matched.remove(key);
          sink.event("DELETED", object);
        }
      }
    }
  }
}

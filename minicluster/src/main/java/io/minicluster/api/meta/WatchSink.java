package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;

/** Receives the events of one watch, in order. Implementations must not block for long. */
public interface WatchSink {
  /** type is ADDED, MODIFIED or DELETED; the object carries its resourceVersion. */
  void event(String type, ObjectNode object);

  /** A bookmark at a resourceVersion; {@code initialEventsEnd} marks the end of a streaming list's initial events. */
  void bookmark(long resourceVersion, boolean initialEventsEnd);

  /** A terminal error (e.g. 410 Expired); the watch ends after it. */
  void error(ApiException error);

  /** The watch ended (store closed, or the watcher was too slow). */
  void closed();
}

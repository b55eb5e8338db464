package io.minicluster.api.meta;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Predicate;

/**
 * Options of list and watch calls.
 *
 * @param filter label and field selectors, compiled; matches everything when no selector was given
 * @param limit page size, 0 = no limit
 * @param continueToken continue token of a previous page, or null
 * @param resourceVersion the requested resourceVersion ("" = latest, "0" = any)
 * @param sendInitialEvents streaming list (WatchList): synthetic ADDED events, then the initial-events-end bookmark
 * @param allowBookmarks whether BOOKMARK events may be sent
 * @param timeoutSeconds watch timeout, 0 = server default
 */
public record ListOptions(Predicate<ObjectNode> filter, int limit, String continueToken, String resourceVersion,
    Boolean sendInitialEvents, boolean allowBookmarks, long timeoutSeconds) {

  public static final ListOptions ALL = new ListOptions(o -> true, 0, null, "", null, false, 0);

  public ListOptions {
    requireNonNull(filter, "filter is null");
    resourceVersion = resourceVersion == null ? "" : resourceVersion;
  }

  public static ListOptions filtered(Predicate<ObjectNode> filter) {
    return new ListOptions(filter, 0, null, "", null, false, 0);
  }
}

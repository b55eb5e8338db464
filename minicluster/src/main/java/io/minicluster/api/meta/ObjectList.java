package io.minicluster.api.meta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a list.
 *
 * @param items the objects, with resourceVersion set
 * @param resourceVersion the store revision of the list
 * @param continueToken token for the next page, or null
 * @param remainingItemCount estimated number of further items when paging, or null
 */
public record ObjectList(List<ObjectNode> items, long resourceVersion, String continueToken, Long remainingItemCount) {
  public ObjectList {
    items = List.copyOf(items);
  }
}

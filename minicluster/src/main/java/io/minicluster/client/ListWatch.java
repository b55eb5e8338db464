package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ResourceType;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.api.meta.ObjectList;
import io.minicluster.api.meta.WatchSink;

/**
 * client-go's ListerWatcher: what an informer needs of the API, a list and a watch from the list's revision. The
 * daemon's informers list and watch through the in-process {@link Client}; tests feed scripted results.
 */
public interface ListWatch {
  /** Lists the objects of a type in a namespace (null = all). */
  ObjectList list(ResourceType type, String namespace, ListOptions options);

  /** Watches a type from the options' resourceVersion; events go to the sink until the handle is closed. */
  GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options, WatchSink sink);

  /** Lists and watches through a client. */
  static ListWatch of(Client client) {
    requireNonNull(client, "client is null");
    return new ListWatch() {
      @Override
      public ObjectList list(ResourceType type, String namespace, ListOptions options) {
        return client.list(type, namespace, options);
      }

      @Override
      public GenericRegistry.WatchHandle watch(ResourceType type, String namespace, ListOptions options,
          WatchSink sink) {
        return client.watch(type, namespace, options, sink);
      }
    };
  }
}

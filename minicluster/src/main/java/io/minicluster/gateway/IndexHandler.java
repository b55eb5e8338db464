package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import io.minicluster.client.Informer;
import java.util.function.Consumer;

/** An informer handler that keeps an index: added and updated objects are (re)indexed, deleted ones taken out. */
final class IndexHandler<T> implements Informer.Handler<T> {
  private final Consumer<T> index;
  private final Consumer<T> remove;

  IndexHandler(Consumer<T> index, Consumer<T> remove) {
    this.index = requireNonNull(index, "index is null");
    this.remove = requireNonNull(remove, "remove is null");
  }

  @Override
  public void onAdd(T object) {
    index.accept(object);
  }

  @Override
  public void onUpdate(T old, T object) {
    index.accept(object);
  }

  @Override
  public void onDelete(T object) {
    remove.accept(object);
  }
}

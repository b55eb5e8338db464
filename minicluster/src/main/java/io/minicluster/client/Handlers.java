package io.minicluster.client;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

/**
 * Informer handlers for consumers that never branch on the kind of event: they map an object to what they keep (the
 * keys they queue, the index entries they hold) and do one thing for an object that is there and one for an object
 * that is gone.
 */
public final class Handlers {
  private Handlers() {}

  /**
   * Calls {@code enqueue} with the object on add and on delete, and with both the old and the new object on update (a
   * change may move an object from one key to another: both are queued).
   */
  public static <T> Informer.Handler<T> enqueueing(Consumer<? super T> enqueue) {
    return new Mapping<>(enqueue, enqueue, true);
  }

  /**
   * Keeps an index: calls {@code put} with the object on add and with the new object on update (it replaces the
   * entries of the old one), and {@code remove} with the object on delete.
   */
  public static <T> Informer.Handler<T> indexing(Consumer<? super T> put, Consumer<? super T> remove) {
    return new Mapping<>(put, remove, false);
  }

  /** {@code present} for an added or updated object (and, with {@code old}, for its previous version too). */
  private record Mapping<T>(Consumer<? super T> present, Consumer<? super T> gone, boolean old)
      implements Informer.Handler<T> {
    Mapping {
      requireNonNull(present, "present is null");
      requireNonNull(gone, "gone is null");
    }

    @Override
    public void onAdd(T object) {
      present.accept(object);
    }

    @Override
    public void onUpdate(T previous, T object) {
      if (old) {
        present.accept(previous);
      }
      present.accept(object);
    }

    @Override
    public void onDelete(T object) {
      gone.accept(object);
    }
  }
}

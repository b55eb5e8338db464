package io.minicluster.controller.enqueue;

import io.minicluster.client.Informer;
import java.util.function.Consumer;

/** Informer handlers that only enqueue keys: controllers never branch on the kind of event. */
public final class Handlers {
  private Handlers() {}

  /** Calls {@code enqueue} with the object on add, with old and new on update, and with the object on delete. */
  public static <T> Informer.Handler<T> enqueueing(Consumer<? super T> enqueue) {
    return new Informer.Handler<>() {
      @Override
      public void onAdd(T object) {
        enqueue.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        enqueue.accept(old);
        enqueue.accept(object);
      }

      @Override
      public void onDelete(T object) {
        enqueue.accept(object);
      }
    };
  }
}

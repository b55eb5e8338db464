package io.minicluster.controller.enqueue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.client.Informer;
import java.util.function.Consumer;

/** Informer handlers that only enqueue keys: controllers never branch on the kind of event. */
public final class Handlers {
  private Handlers() {}

  /** Calls {@code enqueue} with the object on add, with old and new on update, and with the object on delete. */
  public static Informer.Handler<ObjectNode> enqueueing(Consumer<ObjectNode> enqueue) {
    return new Informer.Handler<>() {
      @Override
      public void onAdd(ObjectNode object) {
        enqueue.accept(object);
      }

      @Override
      public void onUpdate(ObjectNode old, ObjectNode object) {
        enqueue.accept(old);
        enqueue.accept(object);
      }

      @Override
      public void onDelete(ObjectNode object) {
        enqueue.accept(object);
      }
    };
  }
}

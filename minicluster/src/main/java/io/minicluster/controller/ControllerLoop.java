package io.minicluster.controller;

import io.minicluster.client.Controller;
import io.minicluster.client.Informer;
import java.util.List;

/**
 * A controller as the wiring runs it: the reconciler of the keys its informer handlers put into the work queue it was
 * given, and the informers whose first list it waits for. The wiring builds the queue and the {@link Controller}
 * runner (workers, start, stop); a controller builds neither.
 */
public interface ControllerLoop extends Controller.Reconciler {
  /** The informers the controller reads, each to be synced before its first reconcile. */
  List<Informer<?>> informers();
}

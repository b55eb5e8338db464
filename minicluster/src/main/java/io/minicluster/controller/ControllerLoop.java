package io.minicluster.controller;

import io.minicluster.client.Controller;

/**
 * A controller as the wiring runs it (a {@link Controller.Loop}): the reconciler of the keys its informer handlers put
 * into the work queue it was given, and the informers whose first list it waits for. The wiring builds the queue and
 * the {@link Controller} runner (workers, start, stop); a controller builds neither.
 */
public interface ControllerLoop extends Controller.Loop {}

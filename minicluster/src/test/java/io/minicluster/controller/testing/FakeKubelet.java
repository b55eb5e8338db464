package io.minicluster.controller.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.api.core.Pod;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the node agent: every 30 ms it marks new pods Running and Ready with a pod IP, and finishes pods in
 * graceful deletion (unless {@link #holdDeletions} is set).
 */
public final class FakeKubelet implements AutoCloseable {
  private final Client client;
  private final Thread thread;
  private final AtomicBoolean holdDeletions = new AtomicBoolean();
  private final AtomicBoolean markReady = new AtomicBoolean(true);
  private final AtomicInteger nextIp = new AtomicInteger(2);
  private volatile boolean closed;

  public FakeKubelet(Client client) {
    this.client = client;
    this.thread = new Thread(this::run, "fake-kubelet");
    thread.setDaemon(true);
    thread.start();
  }

  public void holdDeletions(boolean hold) {
    holdDeletions.set(hold);
  }

  public void markReady(boolean ready) {
    markReady.set(ready);
  }

  private void run() {
    while (!closed) {
      try {
        for (ObjectNode pod : client.list(ResourceTypes.PODS, null, ListOptions.ALL).items()) {
          String namespace = Meta.namespace(pod);
          if (Meta.deleting(pod)) {
            if (!holdDeletions.get()) {
              client.deleteIfExists(ResourceTypes.PODS, namespace, Meta.name(pod), DeleteOptions.immediate());
            }
          } else if (markReady.get() && !Pod.from(pod).isReady()) {
            Kubelet.setReady(client, namespace, Meta.name(pod), true, Instant.now(),
                "10.0.0." + nextIp.getAndIncrement());
          }
        }
        Thread.sleep(30);
      } catch (InterruptedException e) {
        return;
      } catch (ApiException | IllegalStateException e) {
        // a pod went away meanwhile, or the store closed: try again
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}

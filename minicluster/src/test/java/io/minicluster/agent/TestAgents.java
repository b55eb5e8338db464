package io.minicluster.agent;

import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds node agents as the daemon's wiring does (shared informers over the client, the pod workers' queue, thread
 * pools), and closes what it built for them after the agents.
 */
final class TestAgents implements AutoCloseable {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** A new agent with informers, queue and pools of its own (a daemon restart gets new ones too). */
  NodeAgent create(Client client, ContainerRuntime runtime, AgentConfig config, EventRecorder recorder,
      OomWatcher oomWatcher, Clock clock, Prober prober, Executor probes) {
    SharedInformers informers = new SharedInformers(client);
    ExecutorService stops = Executors.newCachedThreadPool();
    ExecutorService terminations = Executors.newCachedThreadPool();
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
    closeables.add(informers);
    closeables.add(stops::shutdownNow);
    closeables.add(terminations::shutdownNow);
    closeables.add(timers::shutdownNow);
    return new NodeAgent(client, runtime, config, recorder, oomWatcher, clock, prober, informers,
        new WorkQueue("pod-workers", Duration.ofMillis(500), Duration.ofSeconds(30)),
        new AgentExecutors(probes, stops, terminations, timers));
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
    closeables.clear();
  }
}

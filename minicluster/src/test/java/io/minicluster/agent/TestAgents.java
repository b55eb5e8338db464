package io.minicluster.agent;

import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.Prober;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds node agents as the daemon's wiring does (shared informers over the client, the pod workers' queue and their
 * runner, thread pools), and closes what it built, the runners before their agents.
 */
final class TestAgents implements AutoCloseable {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<NodeAgent, Controller> runners = new ConcurrentHashMap<>();

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
    WorkQueue queue = new WorkQueue("pod-workers", Duration.ofMillis(500), Duration.ofSeconds(30));
    NodeAgent agent = new NodeAgent(client, runtime, config, recorder, oomWatcher, clock, prober, informers, queue,
        new AgentExecutors(probes, stops, terminations, timers));
    Controller runner = new Controller("pod-workers", queue, agent, agent.informers(), 4, agent.offload());
    runners.put(agent, runner);
    closeables.add(agent);
    closeables.add(runner);
    return agent;
  }

  /** The runner of an agent's pod workers, as the daemon builds it. */
  Controller runner(NodeAgent agent) {
    return runners.get(agent);
  }

  /** Starts an agent, then the runner of its pod workers (the daemon's order). */
  void start(NodeAgent agent) {
    agent.start();
    runner(agent).start();
  }

  /** Stops the runner of an agent's pod workers, then the agent (a daemon stop). */
  void stop(NodeAgent agent) {
    runner(agent).close();
    agent.close();
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

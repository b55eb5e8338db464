package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.core.Pod;
import io.minicluster.api.core.PodIP;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Whether an address belongs to a pod that exists now: an index of the pod IPs (status.podIP and podIPs of pods not on
 * the host network), kept by the shared pod informer's events.
 */
public final class PodAddresses implements Predicate<String> {
  /** How many pods have each address (a stale pod and its successor may share one for a moment). */
  private final Map<String, Integer> inUse = new ConcurrentHashMap<>();
  /** The addresses indexed for each pod key; touched on the informer's dispatch thread only. */
  private final Map<String, Set<String>> byPod = new HashMap<>();

  public PodAddresses(Informer<Pod> pods) {
    requireNonNull(pods, "pods is null");
    pods.addHandler(Handlers.<Pod>indexing(this::index, pod -> replace(pod.key(), Set.of())));
  }

  @Override
  public boolean test(String address) {
    return inUse.containsKey(address);
  }

  private void index(Pod pod) {
    Set<String> addresses = new HashSet<>();
    if (!pod.spec().hostNetwork()) {
      for (PodIP ip : pod.status().podIPs()) {
        if (!ip.ip().isEmpty()) {
          addresses.add(ip.ip());
        }
      }
      if (!pod.status().podIP().isEmpty()) {
        addresses.add(pod.status().podIP());
      }
    }
    replace(pod.key(), addresses);
  }

  private void replace(String key, Set<String> addresses) {
    Set<String> previous = addresses.isEmpty() ? byPod.remove(key) : byPod.put(key, addresses);
    for (String address : addresses) {
      if (previous == null || !previous.contains(address)) {
        inUse.merge(address, 1, Integer::sum);
      }
    }
    if (previous != null) {
      for (String address : previous) {
        if (!addresses.contains(address)) {
          inUse.computeIfPresent(address, (ip, count) -> count == 1 ? null : count - 1);
        }
      }
    }
  }
}

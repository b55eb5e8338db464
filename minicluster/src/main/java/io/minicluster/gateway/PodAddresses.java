package io.minicluster.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.ListOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Whether an address belongs to a pod that exists now (a snapshot refreshed at most once a second, and only when the
 * store {@code revision} moved since the last listing: an unchanged revision means an identical list).
 */
public final class PodAddresses implements Predicate<String> {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final GenericRegistry pods;
  private final LongSupplier revision;
  private volatile Set<String> addresses = Set.of();
  private volatile long refreshed;
  private long listedRevision;

  public PodAddresses(GenericRegistry pods, LongSupplier revision) {
    this.pods = requireNonNull(pods, "pods is null");
    this.revision = requireNonNull(revision, "revision is null");
  }

  @Override
  public boolean test(String address) {
    if (addresses.contains(address)) {
      return true;
    }
    refresh();
    return addresses.contains(address);
  }

  private synchronized void refresh() {
    if (System.nanoTime() - refreshed < REFRESH_NANOS && refreshed != 0) {
      return;
    }
    long current = revision.getAsLong();
    if (refreshed != 0 && current == listedRevision) {
      return;
    }
    Set<String> fresh = new HashSet<>();
    for (ObjectNode pod : pods.list(null, ListOptions.ALL).items()) {
      JsonNode hostNetwork = Json.at(pod, "spec", "hostNetwork");
      if (hostNetwork != null && hostNetwork.asBoolean()) {
        continue;
      }
      for (JsonNode ip : pod.path("status").path("podIPs")) {
        fresh.add(ip.path("ip").asText());
      }
      String ip = Json.text(pod, "status", "podIP");
      if (ip != null) {
        fresh.add(ip);
      }
    }
    addresses = Set.copyOf(fresh);
    listedRevision = current;
    refreshed = System.nanoTime();
  }
}

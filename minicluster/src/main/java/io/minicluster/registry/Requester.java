package io.minicluster.registry;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Who asked for a write, as admission sees it (user.Info: name, uid, groups, extra), and where the warnings of
 * admission go (the response's Warning headers).
 */
public record Requester(String name, String uid, List<String> groups, Map<String, List<String>> extra,
    Consumer<String> warnings) {
  /**
   * The daemon's own writes (controllers, node agent, bootstrap), which the apiserver's loopback client makes as
   * system:apiserver in system:masters.
   */
  public static final Requester IN_PROCESS = new Requester("system:apiserver", "", List.of("system:masters"),
      Map.of(), warning -> {});

  public Requester {
    requireNonNull(name, "name is null");
    requireNonNull(uid, "uid is null");
    groups = List.copyOf(requireNonNull(groups, "groups is null"));
    TreeMap<String, List<String>> copy = new TreeMap<>();
    requireNonNull(extra, "extra is null").forEach((key, values) -> copy.put(key, List.copyOf(values)));
    extra = Collections.unmodifiableMap(copy);
    requireNonNull(warnings, "warnings is null");
  }
}

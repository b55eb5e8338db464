package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One line of a {@link StatusSection}: a text (e.g. {@code default/web  ClusterIP 10.96.0.12}), links (one per
 * port, e.g. {@code http://web.default.svc.cluster.local:80/}), and what is wrong, if anything (e.g.
 * {@code no ready endpoints: web-5d8f readiness probe failed}); an entry with a problem is shown as not ready.
 */
public record StatusEntry(String text, List<StatusLink> links, Optional<String> problem) {

  public StatusEntry {
    requireNonNull(text, "text is null");
    links = List.copyOf(requireNonNull(links, "links is null"));
    requireNonNull(problem, "problem is null");
  }

  public static StatusEntry text(String text) {
    return new StatusEntry(text, List.of(), Optional.empty());
  }

  public static StatusEntry ready(String text, List<StatusLink> links) {
    return new StatusEntry(text, links, Optional.empty());
  }

  public static StatusEntry notReady(String text, List<StatusLink> links, String problem) {
    return new StatusEntry(text, links, Optional.of(requireNonNull(problem, "problem is null")));
  }
}

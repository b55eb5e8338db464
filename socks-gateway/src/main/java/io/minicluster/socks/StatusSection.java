package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A titled block on the status page, supplied by a {@link StatusPageExtension}: entries such as the cluster's
 * services and pods, each with links (opened through the gateway when the browser uses its PAC file) and, for what
 * does not work, the reason. The page escapes every text.
 */
public record StatusSection(String title, List<StatusEntry> entries) {

  public StatusSection {
    requireNonNull(title, "title is null");
    entries = List.copyOf(requireNonNull(entries, "entries is null"));
  }

  /** A section of plain text lines. */
  public static StatusSection ofLines(String title, List<String> lines) {
    List<StatusEntry> entries = new ArrayList<>();
    for (String line : lines) {
      entries.add(StatusEntry.text(line));
    }
    return new StatusSection(title, entries);
  }
}

package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A titled block of plain-text lines on the status page (the page escapes them). */
public record StatusSection(String title, List<String> lines) {

  public StatusSection {
    requireNonNull(title, "title is null");
    lines = List.copyOf(requireNonNull(lines, "lines is null"));
  }
}

package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A link on the status page. Only {@code http} and {@code https} URLs are accepted, so an extension fed with cluster
 * data (names, annotations) cannot put a {@code javascript:} link on the page.
 *
 * @param label what the link shows, e.g. {@code 80/TCP http}
 * @param url an absolute http or https URL
 */
public record StatusLink(String label, String url) {

  public StatusLink {
    requireNonNull(label, "label is null");
    requireNonNull(url, "url is null");
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://") || lower.startsWith("https://")) || url.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("not an http or https URL: '" + url + "'");
    }
  }
}

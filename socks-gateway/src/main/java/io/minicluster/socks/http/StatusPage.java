package io.minicluster.socks.http;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.StatusEntry;
import io.minicluster.socks.StatusLink;
import io.minicluster.socks.StatusSection;
import io.minicluster.socks.metrics.MetricsSnapshot;
import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.RefusalReason;
import java.util.List;

/** Renders the short HTML page served at {@code GET /}. Every text is HTML-escaped. */
public final class StatusPage {

  /**
   * What the page shows.
   *
   * @param title the page's title, e.g. the cluster's name
   * @param proxyHost host browsers should use (as they reach the gateway)
   * @param port port browsers should use
   * @param reachable lines describing reachable destinations
   * @param pacCidrs networks the PAC file routes through the gateway
   * @param pacDomains domain suffixes the PAC file routes through the gateway
   * @param credentialsRequired whether SOCKS5 username/password is required
   * @param metrics current counters
   * @param extraSections sections added by the embedding application
   */
  public record Model(String title, String proxyHost, int port, List<String> reachable, List<Cidr> pacCidrs,
      List<String> pacDomains, boolean credentialsRequired, MetricsSnapshot metrics,
      List<StatusSection> extraSections) {

    public Model {
      requireNonNull(title, "title is null");
      requireNonNull(proxyHost, "proxyHost is null");
      requireNonNull(metrics, "metrics is null");
      reachable = List.copyOf(reachable);
      pacCidrs = List.copyOf(pacCidrs);
      pacDomains = List.copyOf(pacDomains);
      extraSections = List.copyOf(extraSections);
    }
  }

  private StatusPage() {
  }

  public static String render(Model model) {
    String hostPort = model.proxyHost() + ":" + model.port();
    String pacUrl = "http://" + hostPort + "/proxy.pac";
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(model.title()))
        .append("</title>\n<style>li.not-ready{color:#a00}li.not-ready em{font-style:normal;font-weight:bold}"
            + " li a{margin-left:.5em}</style></head><body>\n");
    html.append("<h1>").append(escape(model.title())).append(" on ").append(escape(hostPort)).append("</h1>\n");
    html.append("<p>SOCKS5 (remote DNS), SOCKS4/4a, HTTP CONNECT and plain HTTP proxying on this port; PAC file at"
        + " <a href=\"/proxy.pac\">").append(escape(pacUrl)).append("</a>.")
        .append(model.credentialsRequired() ? " A username and password are required." : "").append("</p>\n");

    for (StatusSection section : model.extraSections()) {
      renderSection(html, section);
    }

    html.append("<h2>Reachable</h2>\n<ul>\n");
    for (String line : model.reachable()) {
      html.append("<li>").append(escape(line)).append("</li>\n");
    }
    html.append("</ul>\n<p>Routed by the PAC file: ");
    StringBuilder routed = new StringBuilder();
    for (String domain : model.pacDomains()) {
      routed.append(routed.length() == 0 ? "" : ", ").append('*').append(domain);
    }
    for (Cidr cidr : model.pacCidrs()) {
      routed.append(routed.length() == 0 ? "" : ", ").append(cidr);
    }
    html.append(escape(routed.length() == 0 ? "nothing" : routed.toString())).append("; everything else DIRECT.</p>\n");

    html.append("<h2>Point a browser here</h2>\n<ul>\n");
    html.append("<li>Chromium: <code>chromium --proxy-pac-url=").append(escape(pacUrl))
        .append("</code> or <code>chromium --proxy-server=socks5://").append(escape(hostPort))
        .append("</code> (add <code>--proxy-bypass-list=&lt;-loopback&gt;</code> to proxy loopback too)</li>\n");
    html.append("<li>Firefox: Settings &rarr; Network Settings &rarr; Automatic proxy configuration URL <code>")
        .append(escape(pacUrl)).append("</code>, or Manual: SOCKS Host <code>").append(escape(model.proxyHost()))
        .append("</code> Port <code>").append(model.port())
        .append("</code>, SOCKS v5, tick &ldquo;Proxy DNS when using SOCKS v5&rdquo;</li>\n");
    html.append("<li>curl: <code>curl --socks5-hostname ").append(escape(hostPort))
        .append(" http://&hellip;</code>, or any <code>http_proxy</code> tool: <code>http_proxy=http://")
        .append(escape(hostPort)).append(" curl http://&hellip;</code></li>\n");
    html.append("<li>From another machine, tunnel first: <code>ssh -L ").append(model.port()).append(":127.0.0.1:")
        .append(model.port()).append(" user@vm</code>, then use <code>127.0.0.1:").append(model.port())
        .append("</code></li>\n</ul>\n");

    MetricsSnapshot metrics = model.metrics();
    html.append("<h2>Metrics</h2>\n<table>\n");
    row(html, "active connections", metrics.activeConnections());
    row(html, "total connections", metrics.totalConnections());
    row(html, "relayed connections", metrics.relayedConnections());
    row(html, "bytes client \u2192 destination", metrics.bytesFromClients());
    row(html, "bytes destination \u2192 client", metrics.bytesToClients());
    row(html, "HTTP proxy requests forwarded", metrics.httpRequestsForwarded());
    row(html, "reads paused by back-pressure", metrics.readPauses());
    for (RefusalReason reason : RefusalReason.values()) {
      long count = metrics.refusals(reason);
      if (count > 0) {
        row(html, "refused: " + reason.label(), count);
      }
    }
    html.append("</table>\n<p>Prometheus text at <a href=\"/metrics\">/metrics</a>.</p>\n");

    html.append("</body></html>\n");
    return html.toString();
  }

  /** Entries with their links; an entry with a problem is marked not ready and shows why. */
  private static void renderSection(StringBuilder html, StatusSection section) {
    html.append("<h2>").append(escape(section.title())).append("</h2>\n<ul>\n");
    for (StatusEntry entry : section.entries()) {
      html.append(entry.problem().isPresent() ? "<li class=\"not-ready\">" : "<li>").append(escape(entry.text()));
      for (StatusLink link : entry.links()) {
        html.append(" <a href=\"").append(escape(link.url())).append("\">").append(escape(link.label()))
            .append("</a>");
      }
      entry.problem().ifPresent(problem -> html.append(" &mdash; <em>not ready:</em> ").append(escape(problem)));
      html.append("</li>\n");
    }
    html.append("</ul>\n");
  }

  private static void row(StringBuilder html, String name, long value) {
    html.append("<tr><td>").append(escape(name)).append("</td><td>").append(value).append("</td></tr>\n");
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}

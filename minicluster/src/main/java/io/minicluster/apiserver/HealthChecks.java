package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import io.minicluster.health.Liveness;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /livez} and {@code /healthz} as the apiserver's healthz package serves them: a {@code ping} check that always
 * passes, then the daemon's {@link Liveness} checks. The root answers {@code ok}, or with {@code ?verbose} one line per
 * check ({@code [+]name ok}) and {@code livez check passed}; when a check fails it always lists them, the failed one as
 * {@code [-]name failed: reason withheld}, ends with {@code livez check failed} and answers 500. {@code ?exclude=name}
 * leaves checks out. {@code /livez/<name>} runs one check: {@code ok}, or 500 {@code internal server error: reason}.
 */
final class HealthChecks {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
  private static final String PING = "ping";

  private final Liveness liveness;

  HealthChecks(Liveness liveness) {
    this.liveness = requireNonNull(liveness, "liveness is null");
  }

  /**
   * Answers {@code request} when its path is {@code /<endpoint>} or {@code /<endpoint>/<check>} (endpoint "livez" or
   * "healthz"; the path without a trailing slash); empty for any other path.
   */
  Optional<ApiResponse> handle(String endpoint, String path, ApiRequest request) {
    String root = "/" + endpoint;
    if (path.equals(root)) {
      return Optional.of(all(endpoint, request));
    }
    if (!path.startsWith(root + "/")) {
      return Optional.empty();
    }
    String name = path.substring(root.length() + 1);
    if (name.equals(PING)) {
      return Optional.of(ApiResponse.text(200, "ok"));
    }
    return Optional.of(liveness.check(name)
        .map(result -> result.ok() ? ApiResponse.text(200, "ok")
            : ApiResponse.text(500, "internal server error: " + result.failure() + "\n"))
        .orElseGet(() -> ApiResponse.text(404, "404 page not found\n")));
  }

  private ApiResponse all(String endpoint, ApiRequest request) {
    Set<String> excluded = new LinkedHashSet<>();
    for (String value : request.params("exclude")) {
      // the apiserver accepts both ?exclude=a&exclude=b and ?exclude=a,b
      for (String name : value.split(",")) {
        if (!name.isBlank()) {
          excluded.add(name.trim());
        }
      }
    }
    List<Liveness.Result> results = new ArrayList<>();
    results.add(new Liveness.Result(PING, null));
    results.addAll(liveness.check());
    StringBuilder lines = new StringBuilder();
    List<String> failed = new ArrayList<>();
    for (Liveness.Result result : results) {
      if (excluded.remove(result.name())) {
        lines.append("[+]").append(result.name()).append(" excluded: ok\n");
      } else if (result.ok()) {
        lines.append("[+]").append(result.name()).append(" ok\n");
      } else {
        lines.append("[-]").append(result.name()).append(" failed: reason withheld\n");
        failed.add(result.name() + ": " + result.failure());
      }
    }
    if (!excluded.isEmpty()) {
      lines.append("warn: some health checks cannot be excluded: no matches for ")
          .append(String.join(",", excluded.stream().map(name -> "\"" + name + "\"").toList())).append('\n');
    }
    if (!failed.isEmpty()) {
      LOG.warn("{} check failed: {}", endpoint, String.join("; ", failed));
      return ApiResponse.text(500, lines + endpoint + " check failed\n");
    }
    if (request.query().containsKey("verbose")) {
      return ApiResponse.text(200, lines + endpoint + " check passed\n");
    }
    return ApiResponse.text(200, "ok");
  }
}

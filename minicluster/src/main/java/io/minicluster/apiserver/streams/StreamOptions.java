package io.minicluster.apiserver.streams;

import io.minicluster.apiserver.ApiRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of exec and attach ({@code command} repeated, {@code container}, {@code stdin},
 * {@code stdout}, {@code stderr}, {@code tty}). With a TTY there is never a separate stderr.
 */
public record StreamOptions(List<String> command, String container, boolean stdin, boolean stdout, boolean stderr,
    boolean tty) {

  public StreamOptions {
    command = List.copyOf(command);
    container = container == null ? "" : container;
    if (tty) {
      stderr = false;
    }
  }

  /** Parses the query of {@code uri}. */
  public static StreamOptions parse(String uri) {
    Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
    List<String> command = query.getOrDefault("command", List.of());
    List<String> container = query.getOrDefault("container", List.of());
    return new StreamOptions(command, container.isEmpty() ? "" : container.get(0), flag(query, "stdin"),
        flag(query, "stdout"), flag(query, "stderr"), flag(query, "tty"));
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    return ApiRequest.queryBool(query.get(name));
  }

  /** Whether at least one stream was asked for (the kubelet refuses otherwise). */
  public boolean anyStream() {
    return stdin || stdout || stderr;
  }
}

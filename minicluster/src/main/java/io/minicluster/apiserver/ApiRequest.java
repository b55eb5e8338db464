package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** One HTTP request to the API, decoded enough to route it. */
public record ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
    byte[] body, io.minicluster.apiserver.auth.UserInfo user) {

  public ApiRequest {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    query = Map.copyOf(query);
    requireNonNull(headers, "headers is null");
    body = body == null ? new byte[0] : body;
  }

  public static ApiRequest of(HttpMethod method, String uri, HttpHeaders headers, byte[] body,
      io.minicluster.apiserver.auth.UserInfo user) {
    QueryStringDecoder decoder = new QueryStringDecoder(uri);
    return new ApiRequest(method, decoder.path(), decoder.parameters(), headers, body, user);
  }

  /** The first value of a query parameter, or null. */
  public String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public List<String> params(String name) {
    List<String> values = query.get(name);
    return values == null ? List.of() : values;
  }

  public boolean flag(String name) {
    String value = param(name);
    return value != null && (value.equals("true") || value.equals("1") || value.isEmpty() && query.containsKey(name));
  }

  public String header(String name) {
    return headers.get(name);
  }
}

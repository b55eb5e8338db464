package io.minicluster.apiserver;

import static java.util.Objects.requireNonNull;

import io.minicluster.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** One HTTP request to the API, decoded enough to route it. */
public record ApiRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
    byte[] body, UserInfo user) {

  public ApiRequest {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    query = Map.copyOf(query);
    requireNonNull(headers, "headers is null");
    body = body == null ? new byte[0] : body;
  }

  public static ApiRequest of(HttpMethod method, String uri, HttpHeaders headers, byte[] body,
      UserInfo user) {
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

  /** A boolean query parameter, decoded as the apiserver decodes one (see {@link #queryBool}). */
  public boolean flag(String name) {
    return queryBool(query.get(name));
  }

  /**
   * apimachinery's Convert_Slice_string_To_bool: absent, "0" and "false" in any case are false; any other value,
   * the empty one included, is true. Clients rely on it: the Python client sends {@code watch=True}.
   */
  public static boolean queryBool(List<String> values) {
    if (values == null || values.isEmpty()) {
      return false;
    }
    String value = values.get(0);
    return !(value.equals("0") || value.equalsIgnoreCase("false"));
  }

  public String header(String name) {
    return headers.get(name);
  }
}

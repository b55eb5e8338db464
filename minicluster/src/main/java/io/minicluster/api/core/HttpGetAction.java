package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.HTTPGetAction; the port is a number or the name of a container port, scheme "" when unset (HTTP). */
public record HttpGetAction(String path, IntOrString port, String host, String scheme, List<HttpHeader> httpHeaders) {

  public HttpGetAction {
    httpHeaders = List.copyOf(httpHeaders);
  }

  public static HttpGetAction from(JsonNode node) {
    return new HttpGetAction(JsonValues.string(node, "path"), IntOrString.value(node, "port"),
        JsonValues.string(node, "host"), JsonValues.string(node, "scheme"),
        JsonValues.list(node, "httpHeaders", HttpHeader::from));
  }
}

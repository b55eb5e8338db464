package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;

/** v1.HTTPHeader. */
public record HttpHeader(String name, String value) {

  public static HttpHeader from(JsonNode node) {
    return new HttpHeader(JsonValues.string(node, "name"), JsonValues.string(node, "value"));
  }
}

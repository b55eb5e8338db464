package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Helpers for describing patch bodies the way Go's encoding/json reports them. */
final class Bodies {
  private Bodies() {}

  /** The JSON type word Go's UnmarshalTypeError uses ("object", "array", "string", "number", "bool"). */
  static String goJsonType(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return value.isNull() ? "null" : "number";
  }

  /** A short description of a parse failure (Jackson's wording, without the source location). */
  static String parseErrorMessage(IOException e) {
    if (e instanceof JsonProcessingException processing && processing.getOriginalMessage() != null) {
      return processing.getOriginalMessage();
    }
    return String.valueOf(e.getMessage());
  }
}

package io.minicluster.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The pod-template-hash of a Deployment's template (controller.ComputeHash): a 32-bit FNV-1a hash of the template,
 * followed by the collision count when there is one, printed in decimal and each digit mapped to the alphabet of
 * rand.SafeEncodeString. The hash input is the template's canonical JSON (object keys sorted), which is stable for
 * one template across restarts; it does not reproduce upstream's Go-specific dump byte for byte.
 */
public final class PodTemplateHash {
  public static final String LABEL = "pod-template-hash";
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private PodTemplateHash() {}

  public static String compute(JsonNode template, Integer collisionCount) {
    int hash = FNV_OFFSET;
    for (byte b : canonical(template).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    if (collisionCount != null) {
      int count = collisionCount;
      for (int i = 0; i < 4; i++) {
        hash ^= (count >>> (8 * i)) & 0xff;
        hash *= FNV_PRIME;
      }
    }
    String decimal = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder encoded = new StringBuilder();
    for (char digit : decimal.toCharArray()) {
      encoded.append(ALPHABET.charAt(digit % ALPHABET.length()));
    }
    return encoded.toString();
  }

  /** JSON with object keys in sorted order. */
  static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(Json.string(Json.MAPPER.getNodeFactory().textNode(names.get(i)))).append(':');
        write(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else {
      out.append(Json.string(node));
    }
  }

  /** The template without the pod-template-hash label (EqualIgnoreHash compares these). */
  public static ObjectNode withoutHash(JsonNode template) {
    ObjectNode copy = template instanceof ObjectNode object ? object.deepCopy() : Json.object();
    JsonNode labels = Json.at(copy, "metadata", "labels");
    if (labels instanceof ObjectNode labelNode) {
      labelNode.remove(LABEL);
      if (labelNode.isEmpty()) {
        ((ObjectNode) copy.get("metadata")).remove("labels");
      }
    }
    return copy;
  }
}

package io.minicluster.apiserver.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;

/** Compact JSON for tests: single quotes stand for double quotes. */
final class PatchTestSupport {
  private PatchTestSupport() {}

  static String quoted(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static ObjectNode object(String singleQuoted) {
    return Json.parseObject(quoted(singleQuoted));
  }

  static byte[] body(String singleQuoted) {
    return quoted(singleQuoted).getBytes(StandardCharsets.UTF_8);
  }

  /** A v1 Pod with the given spec. */
  static ObjectNode pod(String spec) {
    return object("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'default'},'spec':" + spec
        + "}");
  }

  /** An apps/v1 Deployment with the given spec. */
  static ObjectNode deployment(String spec) {
    return object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default'},"
        + "'spec':" + spec + "}");
  }
}

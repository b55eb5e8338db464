package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.time.Instant;

/** Compact JSON fixtures: single quotes stand for double quotes. */
final class TestObjects {
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  private TestObjects() {}

  static ObjectNode json(String singleQuoted) {
    return Json.parseObject(singleQuoted.replace('\'', '"'));
  }

  /** An RFC 3339 timestamp this many seconds before {@link #NOW}. */
  static String ago(long seconds) {
    return NOW.minusSeconds(seconds).toString();
  }
}

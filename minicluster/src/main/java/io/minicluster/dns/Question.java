package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** A question: the name as the client wrote it (case kept, no final dot), its type and class. */
record Question(String name, int type, int dnsClass) {
  Question {
    requireNonNull(name, "name is null");
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
  }

  /** The name in lower case, for comparisons and cache keys. */
  String canonicalName() {
    return name.toLowerCase(Locale.ROOT);
  }
}

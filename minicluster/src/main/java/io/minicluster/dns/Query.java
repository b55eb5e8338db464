package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

/**
 * A parsed DNS query: its header fields, its one question and its EDNS0 options (RFC 6891), if the client sent an
 * OPT record. {@code rawQuestion} is the question section exactly as it came (name, type, class), echoed in
 * responses so that the client finds its own bytes (case, encoding) there.
 */
record Query(int id, int opcode, boolean recursionDesired, boolean checkingDisabled, Question question,
    byte[] rawQuestion, Edns edns) {
  Query {
    requireNonNull(question, "question is null");
    requireNonNull(rawQuestion, "rawQuestion is null");
  }

  /** The largest UDP response this client accepts: 512 without EDNS, else its advertised size (512 at least). */
  int udpLimit(int serverMaximum) {
    if (edns == null) {
      return 512;
    }
    return Math.max(512, Math.min(edns.udpSize(), serverMaximum));
  }

  boolean dnssecOk() {
    return edns != null && edns.dnssecOk();
  }

  /** The client's OPT record: advertised UDP payload size, EDNS version, DO bit. */
  record Edns(int udpSize, int version, boolean dnssecOk) {
  }
}

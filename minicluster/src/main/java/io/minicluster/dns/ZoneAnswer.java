package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The cluster zone's answer to one question. {@code chase}, when not null, asks the server to complete the CNAME chain
 * in {@code answers} (an ExternalName pointing outside the zone) through the upstream resolvers: their answer records
 * are appended to it; if the upstream lookup fails, the chain is dropped and the answer is empty (NODATA), as CoreDNS
 * does.
 */
record ZoneAnswer(int rcode, List<ResourceRecord> answers, List<ResourceRecord> authority,
    List<ResourceRecord> additional, Chase chase) {
  ZoneAnswer {
    answers = List.copyOf(answers);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }

  /** The name and type to look up upstream to complete a CNAME chain. */
  record Chase(String target, int type) {
    Chase {
      requireNonNull(target, "target is null");
    }
  }
}

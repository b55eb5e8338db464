package io.minicluster.dns;

import io.minicluster.dns.ResourceRecord.Rdata;
import io.netty.util.NetUtil;
import java.util.List;
import java.util.Map;

/** Records as zone-file-like lines, for assertions: {@code web.default.svc.cluster.local. 5 A 10.96.0.20}. */
final class RecordText {
  private static final Map<Integer, String> TYPES = Map.of(RecordTypes.A, "A", RecordTypes.AAAA, "AAAA",
      RecordTypes.CNAME, "CNAME", RecordTypes.PTR, "PTR", RecordTypes.SRV, "SRV", RecordTypes.TXT, "TXT",
      RecordTypes.SOA, "SOA", RecordTypes.NS, "NS");

  private RecordText() {
  }

  static List<String> of(List<ResourceRecord> records) {
    return records.stream().map(RecordText::of).toList();
  }

  static String of(ResourceRecord record) {
    return dot(record.name()) + " " + record.ttl() + " " + TYPES.getOrDefault(record.type(), "TYPE" + record.type())
        + " " + rdata(record.rdata());
  }

  private static String rdata(Rdata rdata) {
    if (rdata instanceof Rdata.Address a) {
      return NetUtil.toAddressString(a.ip());
    }
    if (rdata instanceof Rdata.DomainName d) {
      return dot(d.target());
    }
    if (rdata instanceof Rdata.Srv s) {
      return s.priority() + " " + s.weight() + " " + s.port() + " " + dot(s.target());
    }
    if (rdata instanceof Rdata.Text t) {
      return "\"" + t.text() + "\"";
    }
    if (rdata instanceof Rdata.Soa s) {
      return dot(s.mname()) + " " + dot(s.rname()) + " " + s.serial() + " " + s.refresh() + " " + s.retry() + " "
          + s.expire() + " " + s.minimum();
    }
    return "opaque";
  }

  private static String dot(String name) {
    return name.endsWith(".") ? name : name + ".";
  }
}

package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;

/** One resource record of an answer: owner name (absolute, with or without the final dot), type, TTL, data. */
record ResourceRecord(String name, int type, long ttl, Rdata rdata) {
  ResourceRecord {
    requireNonNull(name, "name is null");
    requireNonNull(rdata, "rdata is null");
    if (ttl < 0 || ttl > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("ttl out of range: " + ttl);
    }
  }

  static ResourceRecord address(String name, long ttl, InetAddress ip) {
    return new ResourceRecord(name, ip instanceof Inet4Address ? RecordTypes.A : RecordTypes.AAAA, ttl,
        new Rdata.Address(ip));
  }

  /** The record's data, as the wire format has it. */
  sealed interface Rdata {
    /** A or AAAA. */
    record Address(InetAddress ip) implements Rdata {
      public Address {
        requireNonNull(ip, "ip is null");
      }
    }

    /** CNAME, PTR, NS: one domain name. */
    record DomainName(String target) implements Rdata {
      public DomainName {
        requireNonNull(target, "target is null");
      }
    }

    /** SRV (RFC 2782). */
    record Srv(int priority, int weight, int port, String target) implements Rdata {
      public Srv {
        requireNonNull(target, "target is null");
      }
    }

    /** TXT with one character string (at most 255 bytes). */
    record Text(String text) implements Rdata {
      public Text {
        requireNonNull(text, "text is null");
      }
    }

    /** SOA. */
    record Soa(String mname, String rname, long serial, long refresh, long retry, long expire, long minimum)
        implements Rdata {
      public Soa {
        requireNonNull(mname, "mname is null");
        requireNonNull(rname, "rname is null");
      }
    }

    /** Data copied as it came from an upstream resolver (no domain names inside, or already decompressed). */
    record Opaque(byte[] bytes) implements Rdata {
      public Opaque {
        bytes = bytes.clone();
      }

      @Override
      public byte[] bytes() {
        return bytes.clone();
      }
    }
  }
}

package io.minicluster.dns;

import io.minicluster.dns.ResourceRecord.Rdata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A response from an upstream resolver, kept as the bytes it came in (so that whatever it holds, DNSSEC records or
 * types this server does not know, reaches the client unchanged), with what the cache needs located in it: the TTL
 * fields, the OPT record, and how long the whole may be cached (RFC 2181 section 5.2, RFC 2308 section 5).
 */
final class RawMessage {
  private static final int MAX_POINTERS = 64;

  private final byte[] bytes;
  private final int questionEnd;
  private final int[] ttlOffsets;
  private final int optStart;
  private final int optEnd;
  private final int optSizeAt;
  private final int answerCount;
  private final List<int[]> answers;
  private final long cacheTtl;

  private RawMessage(byte[] bytes, int questionEnd, int[] ttlOffsets, int optStart, int optEnd, int answerCount,
      List<int[]> answers, long cacheTtl) {
    this.bytes = bytes;
    this.questionEnd = questionEnd;
    this.ttlOffsets = ttlOffsets;
    this.optStart = optStart;
    this.optEnd = optEnd;
    this.optSizeAt = optStart < 0 ? -1 : skipName(bytes, optStart) + 2;
    this.answerCount = answerCount;
    this.answers = answers;
    this.cacheTtl = cacheTtl;
  }

  /** Parses a response; IllegalArgumentException if it is not a well-formed response with one question. */
  static RawMessage parse(byte[] bytes) {
    try {
      return parse0(bytes);
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated DNS message", e);
    }
  }

  private static RawMessage parse0(byte[] bytes) {
    if (bytes.length < DnsWire.HEADER_LENGTH || (bytes[2] & 0x80) == 0) {
      throw new IllegalArgumentException("not a DNS response");
    }
    if (u16(bytes, 4) != 1) {
      throw new IllegalArgumentException("a response must have one question");
    }
    int rcode = bytes[3] & 0xF;
    int[] counts = {u16(bytes, 6), u16(bytes, 8), u16(bytes, 10)};
    int at = skipName(bytes, DnsWire.HEADER_LENGTH) + 4;
    if (at > bytes.length) {
      throw new IllegalArgumentException("truncated question");
    }
    int questionEnd = at;
    int[] ttls = new int[counts[0] + counts[1] + counts[2]];
    int ttlCount = 0;
    int optStart = -1;
    int optEnd = -1;
    long minTtl = Long.MAX_VALUE;
    long negativeTtl = -1;
    List<int[]> answers = new ArrayList<>();
    for (int section = 0; section < 3; section++) {
      for (int i = 0; i < counts[section]; i++) {
        int start = at;
        at = skipName(bytes, at);
        int type = u16(bytes, at);
        long ttl = u32(bytes, at + 4);
        int length = u16(bytes, at + 8);
        int rdata = at + 10;
        int end = rdata + length;
        if (end > bytes.length) {
          throw new IllegalArgumentException("truncated record");
        }
        if (type == RecordTypes.OPT) {
          if (section != 2 || optStart >= 0) {
            throw new IllegalArgumentException("misplaced OPT record");
          }
          optStart = start;
          optEnd = end;
        } else {
          ttls[ttlCount++] = at + 4;
          minTtl = Math.min(minTtl, ttl);
          if (section == 0) {
            answers.add(new int[] {start, at, rdata, end});
          }
          if (section == 1 && type == RecordTypes.SOA && length >= 22) {
            negativeTtl = Math.min(ttl, u32(bytes, end - 4));
          }
        }
        at = end;
      }
    }
    long cacheTtl;
    if (rcode == RecordTypes.NXDOMAIN || rcode == RecordTypes.NOERROR && counts[0] == 0) {
      cacheTtl = negativeTtl; // RFC 2308: a negative answer without SOA is not cached
    } else if (rcode == RecordTypes.NOERROR) {
      cacheTtl = minTtl;
    } else {
      cacheTtl = -1;
    }
    return new RawMessage(bytes, questionEnd, Arrays.copyOf(ttls, ttlCount), optStart, optEnd, counts[0], answers,
        cacheTtl);
  }

  int rcode() {
    return bytes[3] & 0xF;
  }

  boolean truncated() {
    return (bytes[2] & 0x02) != 0;
  }

  /** How long the whole message may be cached, in seconds; negative if it must not be. */
  long cacheTtl() {
    return truncated() ? -1 : cacheTtl;
  }

  /** Whether this response's question is the given question bytes (names compared case-insensitively). */
  boolean answers(byte[] question) {
    int length = questionEnd - DnsWire.HEADER_LENGTH;
    if (length != question.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (Character.toLowerCase((char) (bytes[DnsWire.HEADER_LENGTH + i] & 0xFF))
          != Character.toLowerCase((char) (question[i] & 0xFF))) {
        return false;
      }
    }
    return true;
  }

  /** The length of this message as the answer to {@code query} ({@link #forClient}), without building it. */
  int lengthFor(Query query) {
    return query.edns() == null && optStart >= 0 ? bytes.length - (optEnd - optStart) : bytes.length;
  }

  /**
   * This message as the answer to {@code query}, written into a buffer from {@code allocator}: its bytes as they came,
   * with only the id, RD and CD, the question (the client's case), the TTLs (lowered by {@code elapsedSeconds} and at
   * most {@code maxTtl}) and the OPT record's size patched in place, as dnsmasq's and CoreDNS's caches do; the OPT
   * record is left out if the client sent none. Nothing is parsed again.
   */
  ByteBuf forClient(ByteBufAllocator allocator, Query query, long elapsedSeconds, long maxTtl) {
    boolean dropOpt = query.edns() == null && optStart >= 0;
    int optLength = dropOpt ? optEnd - optStart : 0;
    ByteBuf out = allocator.buffer(bytes.length - optLength);
    if (dropOpt) {
      out.writeBytes(bytes, 0, optStart).writeBytes(bytes, optEnd, bytes.length - optEnd);
      out.setShort(10, u16(bytes, 10) - 1);
    } else {
      out.writeBytes(bytes);
      if (optStart >= 0) {
        out.setShort(optSizeAt, DnsWire.ADVERTISED_UDP_SIZE);
      }
    }
    out.setShort(0, query.id());
    out.setByte(2, (bytes[2] & ~0x01) | (query.recursionDesired() ? 0x01 : 0));
    out.setByte(3, (bytes[3] & ~0x10) | (query.checkingDisabled() ? 0x10 : 0));
    byte[] question = query.rawQuestion();
    if (question.length == questionEnd - DnsWire.HEADER_LENGTH) {
      out.setBytes(DnsWire.HEADER_LENGTH, question);
    }
    for (int offset : ttlOffsets) {
      long ttl = Math.max(0, Math.min(u32(bytes, offset) - elapsedSeconds, maxTtl));
      out.setInt(dropOpt && offset > optStart ? offset - optLength : offset, (int) ttl);
    }
    return out;
  }

  /**
   * The answer section as records, to complete a CNAME chain: addresses, CNAMEs (names decompressed) and records
   * whose data holds no domain name; TTLs lowered by {@code elapsedSeconds}.
   */
  List<ResourceRecord> answerRecords(long elapsedSeconds) {
    List<ResourceRecord> records = new ArrayList<>();
    for (int[] answer : answers) {
      try {
        answerRecord(answer, elapsedSeconds, records);
      } catch (RuntimeException e) {
        // a record this server cannot read: left out
      }
    }
    return records;
  }

  private void answerRecord(int[] answer, long elapsedSeconds, List<ResourceRecord> records) {
    {
      String owner = readName(bytes, answer[0]);
      int type = u16(bytes, answer[1]);
      long ttl = Math.max(0, u32(bytes, answer[1] + 4) - elapsedSeconds);
      byte[] rdata = Arrays.copyOfRange(bytes, answer[2], answer[3]);
      switch (type) {
        case RecordTypes.A, RecordTypes.AAAA -> {
          try {
            records.add(new ResourceRecord(owner, type, ttl, new Rdata.Address(InetAddress.getByAddress(rdata))));
          } catch (UnknownHostException e) {
            // a malformed address: left out
          }
        }
        case RecordTypes.CNAME -> records.add(new ResourceRecord(owner, type, ttl,
            new Rdata.DomainName(readName(bytes, answer[2]))));
        case RecordTypes.TXT -> records.add(new ResourceRecord(owner, type, ttl, new Rdata.Opaque(rdata)));
        default -> {
          // data that may hold compressed names cannot be moved into another message byte for byte
        }
      }
    }
  }

  int answerCount() {
    return answerCount;
  }

  int length() {
    return bytes.length;
  }

  private static int skipName(byte[] bytes, int at) {
    while (true) {
      int length = bytes[at] & 0xFF;
      if (length == 0) {
        return at + 1;
      }
      if ((length & 0xC0) == 0xC0) {
        return at + 2;
      }
      if ((length & 0xC0) != 0) {
        throw new IllegalArgumentException("bad label type");
      }
      at += 1 + length;
    }
  }

  /** Reads a (possibly compressed) name; IllegalArgumentException on a pointer loop or a bad label. */
  static String readName(byte[] bytes, int at) {
    StringBuilder name = new StringBuilder();
    int pointers = 0;
    while (true) {
      int length = bytes[at] & 0xFF;
      if (length == 0) {
        return name.length() == 0 ? "." : name.toString();
      }
      if ((length & 0xC0) == 0xC0) {
        if (++pointers > MAX_POINTERS) {
          throw new IllegalArgumentException("name compression loop");
        }
        at = ((length & 0x3F) << 8) | (bytes[at + 1] & 0xFF);
        continue;
      }
      if ((length & 0xC0) != 0) {
        throw new IllegalArgumentException("bad label type");
      }
      name.append(new String(bytes, at + 1, length, StandardCharsets.ISO_8859_1)).append('.');
      at += 1 + length;
    }
  }

  private static int u16(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 8 | (bytes[at + 1] & 0xFF);
  }

  private static long u32(byte[] bytes, int at) {
    return ((long) (bytes[at] & 0xFF) << 24) | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8
        | (bytes[at + 3] & 0xFF);
  }
}

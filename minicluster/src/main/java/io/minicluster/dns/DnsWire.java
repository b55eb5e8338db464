package io.minicluster.dns;

import io.minicluster.dns.ResourceRecord.Rdata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The DNS wire format (RFC 1035 section 4) for the server: queries are parsed with Netty's DNS codec
 * ({@link DnsRecordDecoder}, which follows compression pointers and rejects loops); responses are written here, with
 * name compression and truncation to the client's size limit, which Netty's response encoder does not do.
 */
final class DnsWire {
  /** The UDP payload size this server advertises in its OPT records (the DNS Flag Day 2020 value). */
  static final int ADVERTISED_UDP_SIZE = 1232;
  static final int HEADER_LENGTH = 12;
  private static final int OPT_LENGTH = 11;

  private DnsWire() {
  }

  /** What to do with an incoming packet. */
  sealed interface Parsed {
    /** A query to answer. */
    record Ok(Query query) implements Parsed {
    }

    /** A query refused with {@code rcode} (FORMERR, NOTIMP) before its question could be used. */
    record Reject(int id, int opcode, boolean recursionDesired, int rcode) implements Parsed {
    }

    /** Not a query at all (too short, or a response): dropped without an answer. */
    record Drop() implements Parsed {
    }
  }

  /** Parses one query packet; never throws on bad input. The buffer's reader index is left where it was. */
  static Parsed parseQuery(ByteBuf packet) {
    int start = packet.readerIndex();
    if (packet.readableBytes() < HEADER_LENGTH) {
      return new Parsed.Drop();
    }
    int id = packet.getUnsignedShort(start);
    int flags = packet.getUnsignedShort(start + 2);
    if ((flags & 0x8000) != 0) {
      return new Parsed.Drop();
    }
    int opcode = (flags >> 11) & 0xF;
    boolean rd = (flags & 0x0100) != 0;
    boolean cd = (flags & 0x0010) != 0;
    int questions = packet.getUnsignedShort(start + 4);
    int answers = packet.getUnsignedShort(start + 6);
    int authorities = packet.getUnsignedShort(start + 8);
    int additionals = packet.getUnsignedShort(start + 10);
    if (opcode != RecordTypes.OPCODE_QUERY) {
      return new Parsed.Reject(id, opcode, rd, RecordTypes.NOTIMP);
    }
    if (questions != 1 || answers != 0 || authorities > 1 || additionals > 2) {
      return new Parsed.Reject(id, opcode, rd, RecordTypes.FORMERR);
    }
    ByteBuf in = packet.duplicate();
    in.readerIndex(start + HEADER_LENGTH);
    DnsQuestion question = null;
    try {
      question = DnsRecordDecoder.DEFAULT.decodeQuestion(in);
      byte[] rawQuestion = new byte[in.readerIndex() - start - HEADER_LENGTH];
      packet.getBytes(start + HEADER_LENGTH, rawQuestion);
      for (int i = 0; i < authorities; i++) {
        DnsRecord record = DnsRecordDecoder.DEFAULT.decodeRecord(in);
        if (record == null) {
          return new Parsed.Reject(id, opcode, rd, RecordTypes.FORMERR);
        }
        ReferenceCountUtil.release(record);
      }
      Query.Edns edns = null;
      for (int i = 0; i < additionals; i++) {
        DnsRecord record = DnsRecordDecoder.DEFAULT.decodeRecord(in);
        if (record == null) {
          return new Parsed.Reject(id, opcode, rd, RecordTypes.FORMERR);
        }
        try {
          if (record.type().intValue() == RecordTypes.OPT) {
            if (edns != null || !".".equals(record.name())) {
              return new Parsed.Reject(id, opcode, rd, RecordTypes.FORMERR);
            }
            long ttl = record.timeToLive();
            edns = new Query.Edns(record.dnsClass(), (int) (ttl >> 16) & 0xFF, (ttl & 0x8000) != 0);
          }
        } finally {
          ReferenceCountUtil.release(record);
        }
      }
      Question q = new Question(question.name(), question.type().intValue(), question.dnsClass());
      return new Parsed.Ok(new Query(id, opcode, rd, cd, q, rawQuestion, edns));
    } catch (Exception | StackOverflowError e) {
      return new Parsed.Reject(id, opcode, rd, RecordTypes.FORMERR);
    } finally {
      ReferenceCountUtil.release(question);
    }
  }

  /** A header-only answer (no question) with {@code rcode}: what a server says to a query it could not read. */
  static ByteBuf reject(ByteBufAllocator alloc, Parsed.Reject reject) {
    ByteBuf out = alloc.buffer(HEADER_LENGTH);
    out.writeShort(reject.id());
    int flags = 0x8000 | (reject.opcode() << 11) | (reject.recursionDesired() ? 0x0100 : 0) | 0x0080
        | reject.rcode();
    out.writeShort(flags);
    out.writeZero(8);
    return out;
  }

  /**
   * Writes a response to {@code query}: the question echoed, then as many answer records as fit in {@code limit}
   * bytes (TC set if any is left out), then the authority and additional records that still fit, then an OPT record
   * if the query had one. {@code rcode} may be an extended code (above 15), carried in the OPT record.
   */
  static ByteBuf response(ByteBufAllocator alloc, Query query, int rcode, boolean authoritative,
      List<ResourceRecord> answers, List<ResourceRecord> authority, List<ResourceRecord> additional, int limit) {
    ByteBuf out = alloc.buffer(Math.min(limit, 512));
    try {
      Writer writer = new Writer(out);
      out.writeZero(HEADER_LENGTH);
      writer.question(query);
      int budget = limit - (query.edns() != null ? OPT_LENGTH : 0);
      int answerCount = writer.records(answers, budget);
      boolean truncated = answerCount < answers.size();
      int authorityCount = truncated ? 0 : writer.records(authority, budget);
      int additionalCount = truncated || authorityCount < authority.size() ? 0 : writer.records(additional, budget);
      if (query.edns() != null) {
        additionalCount++;
        out.writeByte(0);
        out.writeShort(RecordTypes.OPT);
        out.writeShort(ADVERTISED_UDP_SIZE);
        out.writeInt(((rcode >> 4) & 0xFF) << 24 | (query.dnssecOk() ? 0x8000 : 0));
        out.writeShort(0);
      }
      int flags = 0x8000 | (query.opcode() << 11) | (authoritative ? 0x0400 : 0) | (truncated ? 0x0200 : 0)
          | (query.recursionDesired() ? 0x0100 : 0) | 0x0080 | (query.checkingDisabled() ? 0x0010 : 0)
          | (rcode & 0xF);
      out.setShort(0, query.id());
      out.setShort(2, flags);
      out.setShort(4, 1);
      out.setShort(6, answerCount);
      out.setShort(8, authorityCount);
      out.setShort(10, additionalCount);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Encodes a query for an upstream resolver: RD set, CD as given, an OPT record advertising our size, DO as given. */
  static ByteBuf upstreamQuery(ByteBufAllocator alloc, int id, String name, int type, int dnsClass,
      boolean checkingDisabled, boolean dnssecOk) {
    ByteBuf out = alloc.buffer(64);
    out.writeShort(id);
    out.writeShort(0x0100 | (checkingDisabled ? 0x0010 : 0));
    out.writeShort(1);
    out.writeShort(0);
    out.writeShort(0);
    out.writeShort(1);
    new Writer(out).name(name);
    out.writeShort(type);
    out.writeShort(dnsClass);
    out.writeByte(0);
    out.writeShort(RecordTypes.OPT);
    out.writeShort(ADVERTISED_UDP_SIZE);
    out.writeInt(dnssecOk ? 0x8000 : 0);
    out.writeShort(0);
    return out;
  }

  /** Writes names (compressed against the names already written), records and the question. */
  static final class Writer {
    private final ByteBuf out;
    private final Map<String, Integer> offsets = new HashMap<>();

    Writer(ByteBuf out) {
      this.out = out;
    }

    void question(Query query) {
      int at = out.writerIndex();
      byte[] raw = query.rawQuestion();
      out.writeBytes(raw);
      // the question's name can be pointed at if it is written plainly (no pointer) in ASCII
      List<Integer> starts = new ArrayList<>();
      int i = 0;
      while (i < raw.length && raw[i] != 0) {
        int length = raw[i] & 0xFF;
        if (length > 63 || i + 1 + length > raw.length) {
          return;
        }
        for (int j = i + 1; j <= i + length; j++) {
          if (raw[j] < 0x21 || raw[j] == '.') {
            return;
          }
        }
        starts.add(i);
        i += 1 + length;
      }
      if (i != raw.length - 5) {
        return;
      }
      String name = new String(raw, 0, i, StandardCharsets.ISO_8859_1);
      for (int k = 0; k < starts.size(); k++) {
        int start = starts.get(k);
        StringBuilder suffix = new StringBuilder();
        for (int l = k; l < starts.size(); l++) {
          int s = starts.get(l);
          if (suffix.length() > 0) {
            suffix.append('.');
          }
          suffix.append(name, s + 1, s + 1 + (raw[s] & 0xFF));
        }
        if (at + start < 0x3FFF) {
          offsets.putIfAbsent(suffix.toString(), at + start);
        }
      }
    }

    /** Writes records while the message stays within {@code budget} bytes; returns how many were written. */
    int records(List<ResourceRecord> records, int budget) {
      int written = 0;
      for (ResourceRecord record : records) {
        int mark = out.writerIndex();
        record(record);
        if (out.writerIndex() > budget) {
          out.writerIndex(mark);
          forgetFrom(mark);
          break;
        }
        written++;
      }
      return written;
    }

    private void forgetFrom(int mark) {
      for (Iterator<Integer> i = offsets.values().iterator(); i.hasNext(); ) {
        if (i.next() >= mark) {
          i.remove();
        }
      }
    }

    void record(ResourceRecord record) {
      name(record.name());
      out.writeShort(record.type());
      out.writeShort(RecordTypes.CLASS_IN);
      out.writeInt((int) record.ttl());
      int lengthAt = out.writerIndex();
      out.writeShort(0);
      Rdata rdata = record.rdata();
      if (rdata instanceof Rdata.Address address) {
        out.writeBytes(address.ip().getAddress());
      } else if (rdata instanceof Rdata.DomainName domainName) {
        name(domainName.target());
      } else if (rdata instanceof Rdata.Srv srv) {
        out.writeShort(srv.priority());
        out.writeShort(srv.weight());
        out.writeShort(srv.port());
        // RFC 2782: the target of an SRV record is not compressed
        uncompressed(srv.target());
      } else if (rdata instanceof Rdata.Text text) {
        byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
          throw new IllegalArgumentException("TXT string longer than 255 bytes");
        }
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
      } else if (rdata instanceof Rdata.Soa soa) {
        name(soa.mname());
        name(soa.rname());
        out.writeInt((int) soa.serial());
        out.writeInt((int) soa.refresh());
        out.writeInt((int) soa.retry());
        out.writeInt((int) soa.expire());
        out.writeInt((int) soa.minimum());
      } else if (rdata instanceof Rdata.Opaque opaque) {
        out.writeBytes(opaque.bytes());
      }
      out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    /** Writes a domain name, ending with a pointer to the longest suffix already written. */
    void name(String name) {
      String absolute = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      checkLength(absolute);
      int from = 0;
      while (from < absolute.length()) {
        String suffix = from == 0 ? absolute : absolute.substring(from);
        Integer pointer = offsets.get(suffix);
        if (pointer != null) {
          out.writeShort(0xC000 | pointer);
          return;
        }
        if (out.writerIndex() < 0x3FFF) {
          offsets.put(suffix, out.writerIndex());
        }
        int dot = absolute.indexOf('.', from);
        int end = dot < 0 ? absolute.length() : dot;
        label(absolute.substring(from, end));
        from = end + 1;
        if (dot >= 0 && from == absolute.length()) {
          throw new IllegalArgumentException("empty label in domain name: '" + name + "'");
        }
      }
      out.writeByte(0);
    }

    private static void checkLength(String absolute) {
      if (absolute.length() > 253) {
        int bytes = absolute.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 253) {
          throw new IllegalArgumentException("domain name longer than 255 bytes");
        }
      }
    }

    private void uncompressed(String name) {
      for (String label : labels(name)) {
        label(label);
      }
      out.writeByte(0);
    }

    private void label(String label) {
      byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
      if (bytes.length == 0 || bytes.length > 63) {
        throw new IllegalArgumentException("invalid label in domain name: '" + label + "'");
      }
      out.writeByte(bytes.length);
      out.writeBytes(bytes);
    }
  }

  /** The labels of an absolute name, with or without its final dot; the root has none. */
  static String[] labels(String name) {
    String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (trimmed.isEmpty()) {
      return new String[0];
    }
    String[] labels = trimmed.split("\\.", -1);
    int length = labels.length + 1;
    for (String label : labels) {
      length += label.getBytes(StandardCharsets.UTF_8).length;
    }
    if (length > 255) {
      throw new IllegalArgumentException("domain name longer than 255 bytes");
    }
    return labels;
  }
}

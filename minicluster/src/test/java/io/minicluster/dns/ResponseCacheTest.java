package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.dns.ResourceRecord.Rdata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1000 * SECOND);
  private final ResponseCache cache = new ResponseCache(2, 30, 20, now::get);
  private final Query query = query("example.org", RecordTypes.A, false);

  private static Query query(String name, int type, boolean edns) {
    byte[] bytes = TestDns.query(9, name, type, edns ? 1232 : 0);
    return ((DnsWire.Parsed.Ok) DnsWire.parseQuery(Unpooled.wrappedBuffer(bytes))).query();
  }

  private static RawMessage message(Query query, int rcode, List<ResourceRecord> answers,
      List<ResourceRecord> authority) {
    ByteBuf buf = DnsWire.response(ByteBufAllocator.DEFAULT, query, rcode, false, answers, authority, List.of(),
        65535);
    try {
      return RawMessage.parse(ByteBufUtil.getBytes(buf));
    } finally {
      buf.release();
    }
  }

  private static RawMessage message(Query query, List<ResourceRecord> answers, List<ResourceRecord> additional) {
    ByteBuf buf = DnsWire.response(ByteBufAllocator.DEFAULT, query, RecordTypes.NOERROR, false, answers, List.of(),
        additional, 65535);
    try {
      return RawMessage.parse(ByteBufUtil.getBytes(buf));
    } finally {
      buf.release();
    }
  }

  /** The bytes {@link RawMessage#forClient} writes, checked against the length it announces. */
  private static byte[] forClient(RawMessage message, Query query, long elapsedSeconds, long maxTtl) {
    ByteBuf buf = message.forClient(ByteBufAllocator.DEFAULT, query, elapsedSeconds, maxTtl);
    try {
      assertThat(buf.readableBytes()).isEqualTo(message.lengthFor(query));
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static ResourceRecord a(long ttl) {
    return ResourceRecord.address("example.org", ttl, IpAddresses.parse("192.0.2.1"));
  }

  private static ResourceRecord soa(long ttl, long minimum) {
    return new ResourceRecord("org", RecordTypes.SOA, ttl, new Rdata.Soa("ns.org", "hostmaster.org", 1, 2, 3, 4,
        minimum));
  }

  private static ResponseCache.Key key(String name) {
    return new ResponseCache.Key(name, RecordTypes.A, RecordTypes.CLASS_IN, false, false);
  }

  @Test
  void anAnswerLivesForItsSmallestTtlAndIsServedWithTheTimeSpentTakenOff() {
    cache.put(key("example.org"), message(query, RecordTypes.NOERROR, List.of(a(10), a(25)), List.of()));
    now.addAndGet(4 * SECOND);
    ResponseCache.Entry entry = cache.get(key("example.org"));
    assertThat(entry.ttlSeconds()).isEqualTo(10);
    long elapsed = entry.elapsedSeconds(now.get());
    TestDns.Reply reply = TestDns.Reply.parse(forClient(entry.message(), query("EXAMPLE.org", 1, false), elapsed,
        entry.ttlSeconds() - elapsed));
    assertThat(reply.id()).isEqualTo(9);
    assertThat(reply.answers()).containsExactly("EXAMPLE.org. 6 A 192.0.2.1", "EXAMPLE.org. 6 A 192.0.2.1");
    now.addAndGet(6 * SECOND);
    assertThat(cache.get(key("example.org"))).isNull();
  }

  @Test
  void longTtlsAreCappedAndNegativeAnswersLiveForTheSoaMinimum() {
    cache.put(key("example.org"), message(query, RecordTypes.NOERROR, List.of(a(3600)), List.of()));
    assertThat(cache.get(key("example.org")).ttlSeconds()).isEqualTo(30);

    Query missing = query("missing.org", RecordTypes.A, false);
    cache.put(key("missing.org"), message(missing, RecordTypes.NXDOMAIN, List.of(), List.of(soa(900, 7))));
    assertThat(cache.get(key("missing.org")).ttlSeconds()).isEqualTo(7);
    cache.put(key("nodata.org"), message(query("nodata.org", 1, false), RecordTypes.NOERROR, List.of(),
        List.of(soa(5, 600))));
    assertThat(cache.get(key("nodata.org")).ttlSeconds()).isEqualTo(5);
  }

  @Test
  void failuresTruncatedAnswersAndNegativeAnswersWithoutSoaAreNotCached() {
    cache.put(key("a"), message(query("a", 1, false), RecordTypes.SERVFAIL, List.of(), List.of()));
    cache.put(key("b"), message(query("b", 1, false), RecordTypes.NXDOMAIN, List.of(), List.of()));
    assertThat(cache.size()).isZero();
  }

  @Test
  void theLeastRecentlyUsedEntryGoesWhenFull() {
    cache.put(key("one"), message(query("one", 1, false), RecordTypes.NOERROR, List.of(a(10)), List.of()));
    cache.put(key("two"), message(query("two", 1, false), RecordTypes.NOERROR, List.of(a(10)), List.of()));
    cache.get(key("one"));
    cache.put(key("three"), message(query("three", 1, false), RecordTypes.NOERROR, List.of(a(10)), List.of()));
    assertThat(cache.get(key("two"))).isNull();
    assertThat(cache.get(key("one"))).isNotNull();
  }

  @Test
  void theOptRecordReachesOnlyClientsThatSentOne() {
    Query withEdns = query("example.org", 1, true);
    RawMessage message = message(withEdns, RecordTypes.NOERROR, List.of(a(10)), List.of());
    TestDns.Reply plain = TestDns.Reply.parse(forClient(message, query, 0, Long.MAX_VALUE));
    assertThat(plain.optSize()).isZero();
    assertThat(plain.answers()).containsExactly("example.org. 10 A 192.0.2.1");
    assertThat(TestDns.Reply.parse(forClient(message, withEdns, 0, Long.MAX_VALUE)).optSize())
        .isEqualTo(DnsWire.ADVERTISED_UDP_SIZE);
  }

  @Test
  void eachClientGetsItsOwnIdCaseAndTtlsAndTheCachedBytesStayAsTheyCame() {
    RawMessage message = message(query, RecordTypes.NOERROR, List.of(a(10)), List.of());
    TestDns.Reply first = TestDns.Reply.parse(forClient(message, query("EXAMPLE.org", 1, false), 4, 6));
    assertThat(first.id()).isEqualTo(9);
    assertThat(first.answers()).containsExactly("EXAMPLE.org. 6 A 192.0.2.1");

    byte[] otherBytes = TestDns.query(7, "example.ORG", RecordTypes.A, 0);
    Query other = ((DnsWire.Parsed.Ok) DnsWire.parseQuery(Unpooled.wrappedBuffer(otherBytes))).query();
    TestDns.Reply second = TestDns.Reply.parse(forClient(message, other, 1, 9));
    assertThat(second.id()).isEqualTo(7);
    assertThat(second.answers()).containsExactly("example.ORG. 9 A 192.0.2.1");
    assertThat(TestDns.Reply.parse(forClient(message, other, 30, 0)).answers())
        .containsExactly("example.ORG. 0 A 192.0.2.1");
  }

  @Test
  void recordsAfterAnOptRecordLeftOutKeepTheirTtlsCountingDown() {
    Query withEdns = query("example.org", 1, true);
    ResourceRecord extra = ResourceRecord.address("ns.example.org", 20, IpAddresses.parse("192.0.2.53"));
    byte[] plain = bytes(message(withEdns, List.of(a(10)), List.of()));
    byte[] full = bytes(message(withEdns, List.of(a(10)), List.of(extra)));
    int extraLength = full.length - plain.length;
    int optLength = 11;
    // the OPT record moved before the additional address, as some resolvers write it
    byte[] moved = new byte[full.length];
    int extraStart = full.length - optLength - extraLength;
    System.arraycopy(full, 0, moved, 0, extraStart);
    System.arraycopy(full, full.length - optLength, moved, extraStart, optLength);
    System.arraycopy(full, extraStart, moved, extraStart + optLength, extraLength);
    RawMessage message = RawMessage.parse(moved);

    TestDns.Reply reply = TestDns.Reply.parse(forClient(message, query, 5, Long.MAX_VALUE));
    assertThat(reply.optSize()).isZero();
    assertThat(reply.answers()).containsExactly("example.org. 5 A 192.0.2.1");
    assertThat(reply.additional()).containsExactly("ns.example.org. 15 A 192.0.2.53");
    TestDns.Reply withOpt = TestDns.Reply.parse(forClient(message, withEdns, 5, Long.MAX_VALUE));
    assertThat(withOpt.optSize()).isEqualTo(DnsWire.ADVERTISED_UDP_SIZE);
    assertThat(withOpt.additional()).containsExactly("ns.example.org. 15 A 192.0.2.53");
  }

  private static byte[] bytes(RawMessage message) {
    Query withEdns = query("example.org", 1, true);
    return forClient(message, withEdns, 0, Long.MAX_VALUE);
  }
}

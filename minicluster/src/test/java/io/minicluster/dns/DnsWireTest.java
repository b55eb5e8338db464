package io.minicluster.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsWireTest {
  private static DnsWire.Parsed parse(byte[] packet) {
    return DnsWire.parseQuery(Unpooled.wrappedBuffer(packet));
  }

  private static byte[] withExtraOpt(byte[] query) {
    byte[] twice = Arrays.copyOf(query, query.length + 11);
    System.arraycopy(query, query.length - 11, twice, query.length, 11);
    twice[11] = 2;
    return twice;
  }

  @Test
  void readsTheQuestionAndTheClientsEdnsOptions() {
    byte[] packet = TestDns.query(77, "Web.Default.svc.cluster.local", RecordTypes.SRV, 1400);
    packet[packet.length - 4] = (byte) 0x80; // DO
    Query query = ((DnsWire.Parsed.Ok) parse(packet)).query();
    assertThat(query.id()).isEqualTo(77);
    assertThat(query.recursionDesired()).isTrue();
    assertThat(query.question()).isEqualTo(new Question("Web.Default.svc.cluster.local", RecordTypes.SRV, 1));
    assertThat(query.edns()).isEqualTo(new Query.Edns(1400, 0, true));
    assertThat(query.udpLimit(4096)).isEqualTo(1400);
    assertThat(query.udpLimit(1232)).isEqualTo(1232);
  }

  @Test
  void malformedQueriesAreRejectedWithFormerrAndResponsesDropped() {
    byte[] query = TestDns.query(5, "web.default.svc.cluster.local", 1, 1232);
    assertThat(parse(withExtraOpt(query))).isEqualTo(new DnsWire.Parsed.Reject(5, 0, true, RecordTypes.FORMERR));
    byte[] answerCount = query.clone();
    answerCount[7] = 1;
    assertThat(parse(answerCount)).isInstanceOf(DnsWire.Parsed.Reject.class);
    byte[] response = query.clone();
    response[2] |= (byte) 0x80;
    assertThat(parse(response)).isInstanceOf(DnsWire.Parsed.Drop.class);
    assertThat(parse(new byte[11])).isInstanceOf(DnsWire.Parsed.Drop.class);
    byte[] loop = query.clone();
    loop[12] = (byte) 0xC0;
    loop[13] = 12;
    assertThat(parse(loop)).isInstanceOf(DnsWire.Parsed.Reject.class);
  }

  @Test
  void truncationKeepsWholeRecordsAndSetsTc() {
    Query query = ((DnsWire.Parsed.Ok) parse(TestDns.query(1, "big.example", 1, 0))).query();
    List<ResourceRecord> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(ResourceRecord.address("big.example", 5, IpAddresses.parse("192.0.2." + i)));
    }
    ByteBuf out = DnsWire.response(ByteBufAllocator.DEFAULT, query, 0, true, answers, List.of(), List.of(), 512);
    try {
      TestDns.Reply reply = TestDns.Reply.parse(ByteBufUtil.getBytes(out));
      assertThat(reply.truncated()).isTrue();
      assertThat(reply.length()).isLessThanOrEqualTo(512);
      assertThat(reply.answers()).hasSize((512 - 12 - 17) / 16).allMatch(a -> a.startsWith("big.example. 5 A "));
    } finally {
      out.release();
    }
  }

  @Test
  void namesThatCannotBeWrittenAreRefused() {
    Query query = ((DnsWire.Parsed.Ok) parse(TestDns.query(1, "x.example", 1, 0))).query();
    for (String bad : List.of("a..example", "x".repeat(64) + ".example", ".example")) {
      List<ResourceRecord> answers = List.of(new ResourceRecord("x.example", RecordTypes.CNAME, 5,
          new ResourceRecord.Rdata.DomainName(bad)));
      assertThatThrownBy(() -> DnsWire.response(ByteBufAllocator.DEFAULT, query, 0, true, answers, List.of(),
          List.of(), 512)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void reverseNames() {
    assertThat(ReverseNames.address("4.3.2.1.in-addr.arpa")).isEqualTo(IpAddresses.parse("1.2.3.4"));
    assertThat(ReverseNames.address("4.3.2.01.in-addr.arpa")).isNull();
    assertThat(ReverseNames.address("4.3.2.256.in-addr.arpa")).isNull();
    assertThat(ReverseNames.address("3.2.1.in-addr.arpa")).isNull();
    String v6 = ReverseNames.of(IpAddresses.parse("2001:db8::1"));
    assertThat(v6).isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    assertThat(ReverseNames.address(v6)).isEqualTo(IpAddresses.parse("2001:db8::1"));
    assertThat(ReverseNames.address("x." + v6.substring(2))).isNull();
  }
}

package io.minicluster.socks.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.socks.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flush batching, byte counting and back-pressure of the relay between two in-memory channels. */
class RelayHandlerTest {

  private final GatewayMetrics metrics = new GatewayMetrics();
  private final EmbeddedChannel client = new EmbeddedChannel();
  private final EmbeddedChannel upstream = new EmbeddedChannel();

  RelayHandlerTest() {
    client.attr(ConnectionContext.KEY).set(new ConnectionContext(new InetSocketAddress("127.0.0.1", 5000), metrics));
    upstream.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 4096));
    RelayHandler.install(client, upstream, null, metrics);
  }

  @AfterEach
  void closeChannels() {
    client.finishAndReleaseAll();
    upstream.finishAndReleaseAll();
  }

  @Test
  void writesOfOneReadBurstAreFlushedOnceAtReadComplete() {
    client.pipeline().fireChannelRead(bytes(100));
    client.pipeline().fireChannelRead(bytes(200));
    assertThat(upstream.outboundMessages()).as("nothing flushed before the burst ends").isEmpty();
    assertThat(metrics.snapshot().bytesFromClients()).isZero();

    client.pipeline().fireChannelReadComplete();
    assertThat(upstream.outboundMessages()).hasSize(2);
    assertThat(metrics.snapshot().bytesFromClients()).isEqualTo(300);
    assertThat(ConnectionContext.of(client).accessLogLine()).contains("bytes_from_client=300");
  }

  @Test
  void readPastTheHighWaterMarkIsFlushedAtOnceWithoutPausingWhenThePeerDrains() {
    client.pipeline().fireChannelRead(bytes(10_000));
    assertThat(upstream.outboundMessages()).as("flushed without waiting for read complete").hasSize(1);
    assertThat(client.config().isAutoRead()).isTrue();
    assertThat(metrics.snapshot().readPauses()).isZero();
  }

  @Test
  void readingPausesWhileThePeerStaysUnwritableAndResumesWhenItDrains() {
    upstream.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    client.pipeline().fireChannelRead(bytes(10));
    assertThat(client.config().isAutoRead()).isFalse();
    assertThat(metrics.snapshot().readPauses()).isEqualTo(1);

    upstream.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    upstream.runPendingTasks();
    assertThat(client.config().isAutoRead()).isTrue();
  }

  @Test
  void bytesTowardsTheClientAreCountedSeparately() {
    upstream.pipeline().fireChannelRead(bytes(700));
    upstream.pipeline().fireChannelReadComplete();
    assertThat(client.outboundMessages()).hasSize(1);
    assertThat(metrics.snapshot().bytesToClients()).isEqualTo(700);
    assertThat(metrics.snapshot().bytesFromClients()).isZero();
  }

  private static ByteBuf bytes(int count) {
    return Unpooled.wrappedBuffer(new byte[count]);
  }
}

package io.minicluster.socks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.socks.metrics.GatewayMetrics;
import io.minicluster.socks.policy.RefusalReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void parsesTheDocumentedCommandLine() {
    GatewayConfig config = Main.parse(new String[] {"--port", "1080", "--allow", "10.244.0.0/16", "--allow",
        "10.96.0.0/12:443", "--bind", "127.0.0.1", "--user", "u:p:w", "--pac-domain", ".cluster.local"});
    assertThat(config.port()).isEqualTo(1080);
    assertThat(config.credentials()).contains(new Credentials("u", "p:w"));
    assertThat(config.policy().describe()).containsExactly("10.244.0.0/16", "10.96.0.0/12:443");
    assertThat(config.pacDomains()).containsExactly(".cluster.local");
    assertThat(config.pacCidrs()).hasSize(2);
    assertThat(config.bindAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void nonLoopbackBindNeedsCredentialsOrClientAllowList() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--bind", "0.0.0.0", "--allow", "10.0.0.0/8"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not loopback");
    assertThat(Main.parse(new String[] {"--bind", "0.0.0.0", "--allow-client", "192.168.0.0/16"})
        .clientAllowList()).hasSize(1);
    assertThat(Main.parse(new String[] {"--bind", "0.0.0.0", "--user", "a:b"}).credentials()).isPresent();
  }

  @Test
  void rejectsUnknownOptionsAndMissingValues() {
    assertThatThrownBy(() -> Main.parse(new String[] {"--frobnicate", "1"})).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> Main.parse(new String[] {"--port"})).hasMessageContaining("missing value");
    assertThatThrownBy(() -> Main.parse(new String[] {"--bind", "localhost"})).hasMessageContaining("IP address");
    assertThat(Main.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void idleTimeoutHttpProxyAndLocalNameOptions() {
    GatewayConfig defaults = Main.parse(new String[0]);
    assertThat(defaults.idleTimeout()).isEmpty();
    assertThat(defaults.httpProxyEnabled()).isTrue();
    GatewayConfig set = Main.parse(new String[] {"--idle-timeout", "90", "--no-http-proxy", "--local-name", "VM.lan"});
    assertThat(set.idleTimeout()).contains(Duration.ofSeconds(90));
    assertThat(set.httpProxyEnabled()).isFalse();
    assertThat(set.localNames()).containsExactly("vm.lan");
    assertThat(Main.parse(new String[] {"--idle-timeout", "0"}).idleTimeout()).isEmpty();
    assertThatThrownBy(() -> Main.parse(new String[] {"--local-name", "evil/x"})).hasMessageContaining("not a host");
  }

  @Test
  void relayTuningOptionsAndTheirBounds() {
    GatewayConfig defaults = Main.parse(new String[0]);
    assertThat(defaults.relayReadBufferMax()).isEqualTo(256 * 1024);
    assertThat(defaults.socketBufferSize()).isZero();
    GatewayConfig tuned = Main.parse(new String[] {"--relay-buffer", "1048576", "--socket-buffer", "4194304"});
    assertThat(tuned.relayReadBufferMax()).isEqualTo(1048576);
    assertThat(tuned.socketBufferSize()).isEqualTo(4194304);
    assertThatThrownBy(() -> Main.parse(new String[] {"--relay-buffer", "100"})).hasMessageContaining("4 KiB");
    assertThatThrownBy(() -> Main.parse(new String[] {"--socket-buffer", "-1"})).hasMessageContaining("negative");
  }

  @Test
  void prometheusTextCarriesEveryCounter() {
    GatewayMetrics metrics = new GatewayMetrics();
    assertThat(metrics.tryOpenConnection(1)).isTrue();
    assertThat(metrics.tryOpenConnection(1)).isFalse();
    metrics.bytesFromClient(10);
    metrics.bytesToClient(20);
    metrics.refused(RefusalReason.CONNECT_TIMEOUT);
    String text = metrics.toPrometheusText();
    assertThat(text).contains("socks_gateway_connections_active 1\n", "socks_gateway_connections_total 2\n",
        "socks_gateway_bytes_total{direction=\"client_to_destination\"} 10\n",
        "socks_gateway_bytes_total{direction=\"destination_to_client\"} 20\n",
        "socks_gateway_refusals_total{reason=\"connect_timeout\"} 1\n", "# TYPE socks_gateway_refusals_total counter");
  }
}

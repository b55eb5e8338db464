package io.minicluster.socks.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrAllowListPolicyTest {

  private static final InetSocketAddress CLIENT = InetSocketAddress.createUnresolved("client", 1);

  private static boolean allowed(CidrAllowListPolicy policy, String address, int port) {
    return policy.evaluate(new DestinationRequest(CLIENT, null, Cidr.parseAddressLiteral(address), port)).allowed();
  }

  @Test
  void cidrParsingMasksHostBitsAndMatchesBothFamilies() {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("10.244.0.0/16").contains(Cidr.parseAddressLiteral("10.244.255.1"))).isTrue();
    assertThat(Cidr.parse("10.244.0.0/16").contains(Cidr.parseAddressLiteral("10.245.0.1"))).isFalse();
    assertThat(Cidr.parse("fd00::/8").contains(Cidr.parseAddressLiteral("fd12::1"))).isTrue();
    assertThat(Cidr.parse("fd00::/8").contains(Cidr.parseAddressLiteral("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("10.0.0.0/12").ipv4Netmask()).isEqualTo("255.240.0.0");
    assertThat(Cidr.parse("1.2.3.4")).hasToString("1.2.3.4/32");
    assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rulesWithPortRanges() {
    CidrAllowListPolicy policy = CidrAllowListPolicy.parse(List.of("10.0.0.0/8:80", "10.1.0.0/16:8000-8100",
        "[fd00::/8]:443"));
    assertThat(allowed(policy, "10.9.9.9", 80)).isTrue();
    assertThat(allowed(policy, "10.9.9.9", 81)).isFalse();
    assertThat(allowed(policy, "10.1.0.1", 8050)).isTrue();
    assertThat(allowed(policy, "fd00::5", 443)).isTrue();
    assertThat(allowed(policy, "fd00::5", 80)).isFalse();
    assertThat(policy.describe()).containsExactly("10.0.0.0/8:80", "10.1.0.0/16:8000-8100", "[fd00::/8]:443");
  }

  @Test
  void broadRulesNeverOpenLoopbackButExplicitOnesDo() {
    CidrAllowListPolicy broad = CidrAllowListPolicy.parse(List.of("0.0.0.0/0", "::/0"));
    assertThat(allowed(broad, "93.184.216.34", 80)).isTrue();
    assertThat(allowed(broad, "127.0.0.1", 80)).isFalse();
    assertThat(allowed(broad, "::1", 80)).isFalse();
    assertThat(allowed(broad, "169.254.169.254", 80)).isFalse();
    assertThat(allowed(broad, "0.0.0.0", 80)).isFalse();
    CidrAllowListPolicy explicit = CidrAllowListPolicy.parse(List.of("127.0.0.1/32"));
    assertThat(allowed(explicit, "127.0.0.1", 80)).isTrue();
    assertThat(allowed(explicit, "127.0.0.2", 80)).isFalse();
    PolicyDecision refused = explicit.evaluate(
        new DestinationRequest(CLIENT, null, Cidr.parseAddressLiteral("10.0.0.1"), 80));
    assertThat(refused.reason()).isEqualTo(RefusalReason.DESTINATION_NOT_ALLOWED);
  }

  @Test
  void emptyPolicyRefusesEverything() {
    CidrAllowListPolicy empty = new CidrAllowListPolicy(List.of());
    assertThat(allowed(empty, "10.0.0.1", 80)).isFalse();
    assertThat(allowed(empty, "127.0.0.1", 80)).isFalse();
  }
}

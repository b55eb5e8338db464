package io.minicluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rules as the proxy writes them and as iptables-save 1.8.9 (legacy and nft) printed them back. */
class SavedFormTest {
  @Test
  void addressesAndProtocolComeFirstThenTheMatchesInOrderThenTheTarget() {
    assertThat(SavedForm.of("-m comment --comment \"bench/svc-0:http cluster IP\" -p tcp -m tcp -d 10.96.0.1/32"
        + " --dport 80 -j MCBENCH-SVC-DARI5RCMN2KZ")).isEqualTo("-d 10.96.0.1/32 -p tcp -m comment --comment"
        + " \"bench/svc-0:http cluster IP\" -m tcp --dport 80 -j MCBENCH-SVC-DARI5RCMN2KZ");
    assertThat(SavedForm.of("-m comment --comment \"x y\" -p tcp -m tcp -d 10.96.0.1/32 --dport 80 ! -s"
        + " 10.244.0.0/16 -j MASQ")).isEqualTo("! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment"
        + " \"x y\" -m tcp --dport 80 -j MASQ");
    assertThat(SavedForm.of("-m comment --comment \"minicluster traffic not marked for SNAT\" -m mark ! --mark"
        + " 0x4000/0x4000 -j RETURN")).isEqualTo("-m comment --comment \"minicluster traffic not marked for SNAT\""
        + " -m mark ! --mark 0x4000/0x4000 -j RETURN");
    assertThat(SavedForm.of("-s 10.244.5.152/32 -j MCBENCH-MARK-MASQ")).isEqualTo(
        "-s 10.244.5.152/32 -j MCBENCH-MARK-MASQ");
    assertThat(SavedForm.of("-p tcp -m tcp -j DNAT --to-destination 10.244.5.152:8080")).isEqualTo(
        "-p tcp -m tcp -j DNAT --to-destination 10.244.5.152:8080");
  }

  @Test
  void targetsAndValuesAreShownAsTheKernelKeepsThem() {
    assertThat(SavedForm.of("-m comment --comment \"minicluster marks for SNAT\" -j MARK --or-mark 0x4000"))
        .isEqualTo("-m comment --comment \"minicluster marks for SNAT\" -j MARK --set-xmark 0x4000/0x4000");
    assertThat(SavedForm.of("-j MARK --xor-mark 0x4000")).isEqualTo("-j MARK --set-xmark 0x4000/0x0");
    assertThat(SavedForm.of("-d 10.96.0.0/12 -j REJECT")).isEqualTo(
        "-d 10.96.0.0/12 -j REJECT --reject-with icmp-port-unreachable");
    assertThat(SavedForm.of("-m statistic --mode random --probability 0.3333333333 -j X")).isEqualTo(
        "-m statistic --mode random --probability 0.33333333349 -j X");
    assertThat(SavedForm.of("-m statistic --mode random --probability 0.5000000000 -j X")).isEqualTo(
        "-m statistic --mode random --probability 0.50000000000 -j X");
    assertThat(SavedForm.of("-m comment --comment \"the host's services\" -j X")).isEqualTo(
        "-m comment --comment \"the host\\'s services\" -j X");
    assertThat(SavedForm.of("-m comment --comment plain-word_1 -j X")).isEqualTo(
        "-m comment --comment plain-word_1 -j X");
  }
}

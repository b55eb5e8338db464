package io.minicluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusCommandTest {
  @Test
  void theFailedChecksOfAVerboseLivezAnswer() {
    String body = "[+]ping ok\n[-]store-writer failed: reason withheld\n[+]informers ok\n"
        + "[-]controller-deployment failed: reason withheld\nlivez check failed\n";

    assertThat(StatusCommand.failedChecks(body)).containsExactly("store-writer", "controller-deployment");
    assertThat(StatusCommand.failedChecks("[+]ping ok\nlivez check passed\n")).isEmpty();
  }
}

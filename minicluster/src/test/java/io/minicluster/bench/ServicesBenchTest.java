package io.minicluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServicesBenchTest {
  /** A query for a.b (7 bytes of name) and its answer: a CNAME by compression pointer, then the A record. */
  private static final byte[] ANSWER = {
      0x12, 0x34, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
      1, 'a', 1, 'b', 0, 0, 1, 0, 1,
      (byte) 0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 5, 0, 4, 1, 'c', (byte) 0xC0, 14,
      (byte) 0xC0, 33, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 96, 0, 7};

  @Test
  void theFirstARecordIsFoundPastOtherAnswers() {
    assertThat(ServicesBench.firstA(ANSWER, ANSWER.length, 21)).isEqualTo("10.96.0.7");
  }

  @Test
  void anErrorOrAnEmptyAnswerHasNoAddress() {
    byte[] nxdomain = ANSWER.clone();
    nxdomain[3] = (byte) 0x83;
    assertThat(ServicesBench.firstA(nxdomain, nxdomain.length, 21)).isNull();
    byte[] empty = ANSWER.clone();
    empty[7] = 0;
    assertThat(ServicesBench.firstA(empty, 21, 21)).isNull();
  }
}

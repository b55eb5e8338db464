package io.minicluster.socks.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** The pieces of a forwarded request: its absolute-form target and its hop-by-hop header fields. */
class ProxyRequestPartsTest {

  @Test
  void absoluteFormTargetsSplitIntoDestinationAndOriginForm() {
    assertThat(ProxyTarget.parse("http://web.default.svc:8080/a/b?c=d#frag"))
        .isEqualTo(new ProxyTarget("http", "web.default.svc", 8080, "web.default.svc:8080", "/a/b?c=d"));
    assertThat(ProxyTarget.parse("HTTP://Web")).isEqualTo(new ProxyTarget("http", "Web", 80, "Web", "/"));
    assertThat(ProxyTarget.parse("http://web?x=1")).isEqualTo(new ProxyTarget("http", "web", 80, "web", "/?x=1"));
    assertThat(ProxyTarget.parse("http://[fd00::1]:81/")).isEqualTo(
        new ProxyTarget("http", "fd00::1", 81, "[fd00::1]:81", "/"));
    assertThat(ProxyTarget.parse("https://web/")).extracting(ProxyTarget::port).isEqualTo(443);
    assertThat(ProxyTarget.parse("http://10.0.0.1:80/").destination()).isEqualTo("10.0.0.1:80");
  }

  @Test
  void malformedTargetsAreNotTargets() {
    for (String uri : new String[] {"/path", "*", "web:80", "http://", "http:///x", "http://user:pw@web/",
        "http://web:99999/", "http://web:x/", "1http://web/", "http://we b/", "ftp://web/"}) {
      assertThat(ProxyTarget.parse(uri)).as(uri).isNull();
    }
  }

  @Test
  void hopByHopFieldsAndTheFieldsConnectionNamesAreRemoved() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("Connection", "keep-alive, X-Private")
        .add("Connection", "Upgrade, Content-Length, transfer-encoding, Host")
        .add("X-Private", "1")
        .add("Keep-Alive", "timeout=5")
        .add("Proxy-Connection", "keep-alive")
        .add("Proxy-Authorization", "Basic dTpw")
        .add("Proxy-Authenticate", "Basic")
        .add("TE", "trailers")
        .add("Upgrade", "websocket")
        .add("Transfer-Encoding", "chunked")
        .add("Content-Length", "0")
        .add("Host", "web")
        .add("Accept", "*/*");
    HopByHopHeaders.remove(headers);
    assertThat(headers.names()).containsExactlyInAnyOrder("Transfer-Encoding", "Content-Length", "Host", "Accept");
  }
}

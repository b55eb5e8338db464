package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class ApiRequestQueryTest {
  private static ApiRequest get(String uri) {
    return ApiRequest.of(HttpMethod.GET, uri, new DefaultHttpHeaders(), null, null);
  }

  @Test
  void booleansDecodeAsTheApiserverDoes() {
    for (String yes : new String[] {"true", "True", "TRUE", "1", "t", "yes", ""}) {
      assertThat(get("/api/v1/pods?watch=" + yes).flag("watch")).as("watch=%s", yes).isTrue();
    }
    assertThat(get("/api/v1/pods?watch").flag("watch")).isTrue();
    for (String no : new String[] {"false", "False", "FALSE", "0"}) {
      assertThat(get("/api/v1/pods?watch=" + no).flag("watch")).as("watch=%s", no).isFalse();
    }
    assertThat(get("/api/v1/pods").flag("watch")).isFalse();
  }
}

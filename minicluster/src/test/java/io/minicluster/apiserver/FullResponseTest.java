package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The headers of a complete response, as the apiserver's response writers set them. */
class FullResponseTest {
  @Test
  void anErrorWhoseStatusAsksForARetryCarriesRetryAfter() {
    FullHttpResponse response = HttpApiServer.fullResponse(ApiResponse.error(new ApiException(429, "TooManyRequests",
        "Cannot evict pod as it would violate the pod's disruption budget.", null, null, null, null, 10)));
    try {
      assertThat(response.status().code()).isEqualTo(429);
      assertThat(response.headers().get("Retry-After")).isEqualTo("10");
      assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
    } finally {
      response.release();
    }
  }

  @Test
  void noRetryAfterWithoutOneInTheStatusAndWarningsSurviveIt() {
    FullHttpResponse response = HttpApiServer.fullResponse(ApiResponse.error(new ApiException(429,
        "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", null, null, null,
        null, null)).withWarnings(List.of("say \"hi\"")));
    FullHttpResponse ok = HttpApiServer.fullResponse(ApiResponse.json(200, Json.object()));
    try {
      assertThat(response.headers().contains("Retry-After")).isFalse();
      assertThat(response.headers().getAll("Warning")).containsExactly("299 - \"say \\\"hi\\\"\"");
      assertThat(ok.headers().contains("Retry-After")).isFalse();
    } finally {
      response.release();
      ok.release();
    }
  }

  @Test
  void theRetryOfAnErrorWithWarningsIsKept() {
    ApiResponse error = ApiResponse.error(new ApiException(503, "ServiceUnavailable", "later", null, null, null,
        null, 3)).withWarnings(List.of("w"));
    assertThat(error.retryAfterSeconds()).isEqualTo(3);
  }
}

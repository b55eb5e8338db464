package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ContinueTokensTest {
  private static final String PREFIX = "/registry/configmaps/default/";

  @Test
  void aTokenCarriesTheRevisionAndTheKeyToStartAfterRelativeToThePrefix() {
    String token = ContinueTokens.encode(42, PREFIX + "cm-7", PREFIX);

    String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    assertThat(Json.parseObject(json).toString())
        .isEqualTo("{\"v\":\"meta.k8s.io/v1\",\"rv\":42,\"start\":\"cm-7\\u0000\"}");
    assertThat(token).doesNotContain("=", "+", "/");
    assertThat(ContinueTokens.decode(token, PREFIX)).isEqualTo(PREFIX + "cm-7");
  }

  @Test
  void aTokenThatIsNotOneOrLeavesThePrefixIsABadRequest() {
    String escape = Base64.getUrlEncoder().encodeToString(
        "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"../secrets/x\"}".getBytes(StandardCharsets.UTF_8));

    for (String token : new String[] {"not base64!", escape,
        Base64.getUrlEncoder().encodeToString("[]".getBytes(StandardCharsets.UTF_8))}) {
      assertThat(catchThrowable(() -> ContinueTokens.decode(token, PREFIX)))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("continue key is not valid: ");
          });
    }
  }
}

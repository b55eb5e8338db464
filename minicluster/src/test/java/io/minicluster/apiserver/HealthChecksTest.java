package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.health.Heartbeat;
import io.minicluster.health.Liveness;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** /livez and /healthz in the apiserver's healthz format. */
class HealthChecksTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Heartbeat writer = new Heartbeat("store-writer", nanos::get);
  private final Heartbeat informers = new Heartbeat("informers", nanos::get);
  private final HealthChecks health;

  HealthChecksTest() {
    Liveness liveness = new Liveness(Duration.ofSeconds(60));
    liveness.register(writer);
    liveness.register(informers);
    health = new HealthChecks(liveness);
  }

  private ApiResponse get(String uri) {
    ApiRequest request = ApiRequest.of(HttpMethod.GET, uri, new DefaultHttpHeaders(), null, null);
    String endpoint = request.path().substring(1).split("/")[0];
    return health.handle(endpoint, request.path(), request).orElseThrow();
  }

  private static String body(ApiResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private void stallTheWriter() {
    writer.begin();
    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
  }

  @Test
  void healthyAnswersOkAndListsTheChecksWhenVerbose() {
    assertThat(body(get("/livez"))).isEqualTo("ok");
    ApiResponse verbose = get("/livez?verbose");
    assertThat(verbose.status()).isEqualTo(200);
    assertThat(verbose.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(body(verbose)).isEqualTo("[+]ping ok\n[+]store-writer ok\n[+]informers ok\nlivez check passed\n");
    assertThat(body(get("/healthz?verbose"))).endsWith("[+]informers ok\nhealthz check passed\n");
  }

  @Test
  void aStalledLoopFailsTheRootWithEveryCheckListed() {
    stallTheWriter();

    ApiResponse response = get("/livez");

    assertThat(response.status()).isEqualTo(500);
    assertThat(body(response))
        .isEqualTo("[+]ping ok\n[-]store-writer failed: reason withheld\n[+]informers ok\nlivez check failed\n");
    assertThat(body(get("/healthz"))).endsWith("healthz check failed\n");
  }

  @Test
  void oneCheckAnswersOnItsOwnPathWithItsReason() {
    assertThat(body(get("/livez/store-writer"))).isEqualTo("ok");
    assertThat(body(get("/livez/ping"))).isEqualTo("ok");

    stallTheWriter();

    ApiResponse failed = get("/livez/store-writer");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(body(failed)).startsWith("internal server error: no progress for 61s (thread ");
    assertThat(get("/livez/informers").status()).isEqualTo(200);
    assertThat(get("/livez/nothing").status()).isEqualTo(404);
  }

  @Test
  void excludedChecksAreSkippedAndUnknownOnesWarned() {
    stallTheWriter();

    ApiResponse response = get("/livez?verbose&exclude=store-writer&exclude=nothing");

    assertThat(response.status()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("[+]ping ok\n[+]store-writer excluded: ok\n[+]informers ok\n"
        + "warn: some health checks cannot be excluded: no matches for \"nothing\"\nlivez check passed\n");
  }

  @Test
  void otherPathsAreNotHealthChecks() {
    ApiRequest request = ApiRequest.of(HttpMethod.GET, "/livezz", new DefaultHttpHeaders(), null, null);
    assertThat(health.handle("livez", "/livezz", request)).isEmpty();
  }
}

package io.minicluster.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.Pod;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.FakeClient;
import io.minicluster.json.Json;
import io.minicluster.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeManagerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> probed = new ArrayList<>();
  private final List<String> changed = new ArrayList<>();
  private Prober.Result next = Prober.Result.SUCCESS;
  private final ProbeManager probes = new ProbeManager((action, target, timeout) -> {
    probed.add(target.container().name() + " " + (action.httpGet() != null ? "http" : "tcp") + " "
        + timeout.toSeconds() + "s");
    return next;
  }, new EventRecorder(new FakeClient(), "kubelet", "node1", clock), clock, Runnable::run, changed::add);

  private static final Pod POD = Pod.from(Json.parseObject("""
      {"metadata":{"name":"p","namespace":"ns","uid":"u1"},"spec":{"containers":[
        {"name":"web","readinessProbe":{"httpGet":{"port":80},"initialDelaySeconds":5,"timeoutSeconds":2}},
        {"name":"db","livenessProbe":{"tcpSocket":{"port":5432},"periodSeconds":1,"failureThreshold":2}},
        {"name":"plain"}]}}"""));

  private Container container(int index) {
    return POD.spec().containers().get(index);
  }

  private void update() {
    Instant started = Instant.parse("2026-01-01T00:00:00Z");
    probes.update(POD, "10.0.0.5", List.of(new ProbeManager.Running("c-web", container(0), started,
        "spec.containers{web}"), new ProbeManager.Running("c-db", container(1), started, "spec.containers{db}"),
        new ProbeManager.Running("c-plain", container(2), started, "spec.containers{plain}")));
  }

  @Test
  void readinessWaitsForItsDelayThenFollowsTheProbeWithTheDefaults() {
    update();
    assertThat(probes.ready("c-web", container(0))).isFalse();
    assertThat(probes.ready("c-plain", container(2))).isTrue();
    assertThat(probes.started("c-web", container(0))).isTrue();

    probes.tick();
    assertThat(probed).containsExactly("db tcp 1s");

    clock.advance(Duration.ofSeconds(5));
    probes.tick();
    assertThat(probed).contains("web http 2s");
    assertThat(probes.ready("c-web", container(0))).isTrue();
    assertThat(changed).containsExactly("u1");

    // periodSeconds unset: the next run is 10 seconds later; three failures (the default threshold) unready it
    next = Prober.Result.failure("HTTP probe failed with statuscode: 500");
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(9));
      probes.tick();
      assertThat(probes.ready("c-web", container(0))).isTrue();
      clock.advance(Duration.ofSeconds(1));
      probes.tick();
    }
    assertThat(probes.ready("c-web", container(0))).isFalse();
  }

  @Test
  void livenessPastItsFailureThresholdAsksForARestart() {
    update();
    next = Prober.Result.failure("dial tcp 10.0.0.5:5432: connect: connection refused");
    probes.tick();
    assertThat(probes.restartNeeded("c-db")).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    probes.tick();

    assertThat(probes.restartNeeded("c-db")).isEqualTo(Optional.of(ProbeType.LIVENESS));
    assertThat(probes.restartNeeded("c-web")).isEmpty();
  }
}

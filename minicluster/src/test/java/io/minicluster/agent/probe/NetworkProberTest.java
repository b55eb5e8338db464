package io.minicluster.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.LifecycleHandler;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Probe;
import io.minicluster.api.meta.IntOrString;
import io.minicluster.json.Json;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NetworkProberTest {
  /** No engine: these probes never exec. */
  private final NetworkProber prober = new NetworkProber((ContainerRuntime) Proxy.newProxyInstance(
      ContainerRuntime.class.getClassLoader(), new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
        throw new UnsupportedOperationException(method.getName());
      }));

  private static Pod pod(int port) {
    return Pod.from(Json.parseObject("""
        {"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"app",
          "ports":[{"name":"http","containerPort":%d}]}]}}""".formatted(port)));
  }

  private static Prober.Target target(Pod pod) {
    return new Prober.Target(pod, pod.spec().containers().get(0), "c1", "127.0.0.1");
  }

  private static Probe probe(String json) {
    return Probe.from(Json.parseObject(json));
  }

  @Test
  void portsAreNumbersDigitsOrTheNamesOfContainerPorts() {
    Container app = pod(8080).spec().containers().get(0);

    assertThat(NetworkProber.port(IntOrString.of(81), app)).isEqualTo(81);
    assertThat(NetworkProber.port(IntOrString.of("82"), app)).isEqualTo(82);
    assertThat(NetworkProber.port(IntOrString.of("http"), app)).isEqualTo(8080);
    assertThat(NetworkProber.port(IntOrString.of("other"), app)).isEqualTo(-1);
  }

  @Test
  void httpGetSendsHeadersToTheNamedPortAndJudgesTheStatus() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicReference<String> header = new AtomicReference<>();
    server.createContext("/", exchange -> {
      boolean healthz = exchange.getRequestURI().getPath().equals("/healthz");
      if (healthz) {
        header.set(exchange.getRequestHeaders().getFirst("X-Probe"));
      }
      int status = healthz ? 200 : 500;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    try {
      Pod pod = pod(server.getAddress().getPort());
      Prober.Result healthy = prober.probe(Prober.Action.of(probe("""
          {"httpGet":{"path":"healthz","port":"http","httpHeaders":[{"name":"X-Probe","value":"yes"}]}}""")),
          target(pod), Duration.ofSeconds(5));
      Prober.Result failing = prober.probe(Prober.Action.of(probe("""
          {"httpGet":{"path":"/bad","port":"http"}}""")), target(pod), Duration.ofSeconds(5));

      assertThat(healthy).isEqualTo(Prober.Result.SUCCESS);
      assertThat(header.get()).isEqualTo("yes");
      assertThat(failing).isEqualTo(Prober.Result.failure("HTTP probe failed with statuscode: 500"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void tcpSocketConnectsAndUnknownPortsFail() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Pod pod = pod(socket.getLocalPort());

      assertThat(prober.probe(Prober.Action.of(probe("{\"tcpSocket\":{\"port\":\"http\"}}")), target(pod),
          Duration.ofSeconds(5))).isEqualTo(Prober.Result.SUCCESS);
      assertThat(prober.probe(Prober.Action.of(probe("{\"tcpSocket\":{\"port\":\"nope\"}}")), target(pod),
          Duration.ofSeconds(5))).isEqualTo(Prober.Result.failure("port nope not found"));
    }
  }

  @Test
  void handlersThisNodeCannotRunFail() {
    Pod pod = pod(80);
    LifecycleHandler sleep = LifecycleHandler.from(Json.parseObject("{\"sleep\":{\"seconds\":1}}"));

    assertThat(prober.probe(Prober.Action.of(sleep), target(pod), Duration.ofSeconds(1)))
        .isEqualTo(Prober.Result.failure("missing probe handler"));
    assertThat(prober.probe(Prober.Action.of(probe("{\"grpc\":{\"port\":9000}}")), target(pod),
        Duration.ofSeconds(1))).isEqualTo(Prober.Result.failure("grpc probes are not supported by this node"));
  }
}

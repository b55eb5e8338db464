package io.minicluster.agent.probe;

import static java.util.Objects.requireNonNull;

import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.InteractiveSession;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.ContainerPort;
import io.minicluster.api.core.ExecAction;
import io.minicluster.api.core.HttpGetAction;
import io.minicluster.api.core.HttpHeader;
import io.minicluster.api.core.TcpSocketAction;
import io.minicluster.api.meta.IntOrString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real prober: httpGet and tcpSocket from the host to the pod IP (the pod network is routable from the host), exec
 * through the container runtime. Messages follow the kubelet's wording.
 */
public final class NetworkProber implements Prober {
  private final ContainerRuntime runtime;

  public NetworkProber(ContainerRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  @Override
  public Result probe(Action action, Target target, Duration timeout) {
    if (action.httpGet() != null) {
      return http(action.httpGet(), target, timeout);
    }
    if (action.tcpSocket() != null) {
      return tcp(action.tcpSocket(), target, timeout);
    }
    if (action.exec() != null) {
      return exec(action.exec(), target, timeout);
    }
    if (action.grpc() != null) {
      return Result.failure("grpc probes are not supported by this node");
    }
    return Result.failure("missing probe handler");
  }

  /** Resolves a port given as a number or as the name of a container port; -1 when it names none. */
  static int port(IntOrString port, Container container) {
    if (!port.isString()) {
      return port.intValue();
    }
    String text = port.stringValue();
    if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
      return Integer.parseInt(text);
    }
    for (ContainerPort declared : container.ports()) {
      if (text.equals(declared.name())) {
        return declared.containerPort();
      }
    }
    return -1;
  }

  private static String text(IntOrString port) {
    return port.isString() ? port.stringValue() : String.valueOf(port.intValue());
  }

  private Result http(HttpGetAction spec, Target target, Duration timeout) {
    int port = port(spec.port(), target.container());
    String host = spec.host();
    if (host.isEmpty()) {
      host = target.podIp();
    }
    if (port <= 0) {
      return Result.failure("port " + text(spec.port()) + " not found");
    }
    String scheme = (spec.scheme().isEmpty() ? "HTTP" : spec.scheme()).toLowerCase(Locale.ROOT);
    String path = spec.path();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    String url = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
      int millis = (int) Math.max(1, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(true);
      connection.setRequestProperty("User-Agent", "kube-probe/1.35");
      connection.setRequestProperty("Accept", "*/*");
      for (HttpHeader header : spec.httpHeaders()) {
        connection.setRequestProperty(header.name(), header.value());
      }
      int status = connection.getResponseCode();
      drain(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      if (status >= 200 && status < 400) {
        return Result.SUCCESS;
      }
      return Result.failure("HTTP probe failed with statuscode: " + status);
    } catch (SocketTimeoutException e) {
      return Result.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting "
          + "headers)");
    } catch (ConnectException e) {
      return Result.failure("Get \"" + url + "\": dial tcp " + host + ":" + port + ": connect: connection refused");
    } catch (IOException | IllegalArgumentException e) {
      return Result.failure("Get \"" + url + "\": " + e.getMessage());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static void drain(InputStream stream) throws IOException {
    if (stream == null) {
      return;
    }
    try (InputStream in = stream) {
      byte[] buffer = new byte[4096];
      long total = 0;
      int read;
      while ((read = in.read(buffer)) > 0 && total < 10 * 1024) {
        total += read;
      }
    }
  }

  private Result tcp(TcpSocketAction spec, Target target, Duration timeout) {
    int port = port(spec.port(), target.container());
    String host = spec.host();
    if (host.isEmpty()) {
      host = target.podIp();
    }
    if (port <= 0) {
      return Result.failure("port " + text(spec.port()) + " not found");
    }
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      return Result.SUCCESS;
    } catch (SocketTimeoutException e) {
      return Result.failure("dial tcp " + host + ":" + port + ": i/o timeout");
    } catch (ConnectException e) {
      return Result.failure("dial tcp " + host + ":" + port + ": connect: connection refused");
    } catch (IOException e) {
      return Result.failure("dial tcp " + host + ":" + port + ": " + e.getMessage());
    }
  }

  private Result exec(ExecAction spec, Target target, Duration timeout) {
    List<String> command = new ArrayList<>(spec.command());
    if (command.isEmpty()) {
      return Result.failure("exec probe has no command");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (InteractiveSession session = runtime.exec(target.containerId(), command, false, false, frame -> {
      synchronized (output) {
        if (output.size() < 10 * 1024) {
          output.write(frame.payload(), 0, frame.payload().length);
        }
      }
    })) {
      int exitCode = session.exitCode().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      if (exitCode == 0) {
        return Result.SUCCESS;
      }
      String text;
      synchronized (output) {
        text = output.toString(StandardCharsets.UTF_8).strip();
      }
      return Result.failure(text.isEmpty() ? "command " + command + " exited with " + exitCode : text);
    } catch (TimeoutException e) {
      return Result.failure("command timed out: \"" + String.join(" ", command) + "\" timed out after "
          + timeout.toSeconds() + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.failure("interrupted");
    } catch (ExecutionException | RuntimeException e) {
      return Result.failure(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }
}

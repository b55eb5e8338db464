package io.minicluster.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HijackedConnection} and {@link HijackedSession} against a fake engine on a unix socket. */
class HijackedSessionTest {
  private Path directory;
  private Path socket;
  private ServerSocketChannel server;
  private ScheduledExecutorService scheduler;
  private final CompletableFuture<String> requestHead = new CompletableFuture<>();

  @BeforeEach
  void setUp() throws IOException {
    directory = Files.createTempDirectory("hijack");
    socket = directory.resolve("engine.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void tearDown() throws IOException {
    server.close();
    scheduler.shutdownNow();
    Files.deleteIfExists(socket);
    Files.deleteIfExists(directory);
  }

  /** A fake engine handling one connection on its own thread. */
  private interface Engine {
    void serve(SocketChannel connection) throws Exception;
  }

  private void engine(Engine engine) {
    Thread thread = new Thread(() -> {
      try (SocketChannel connection = server.accept()) {
        engine.serve(connection);
      } catch (Exception ignored) {
        // test ended
      }
    }, "fake-engine");
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads the request head and body (Content-Length). */
  private String readRequest(SocketChannel connection) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      one.clear();
      if (connection.read(one) < 0) {
        throw new IOException("request ended early");
      }
      head.write(one.get(0));
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    while (body.hasRemaining() && connection.read(body) >= 0) {
      // keep reading
    }
    String request = text + new String(body.array(), StandardCharsets.UTF_8);
    requestHead.complete(request);
    return request;
  }

  private static void write(SocketChannel connection, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      connection.write(buffer);
    }
  }

  private static byte[] frame(int stream, byte[] payload, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + length);
    buffer.put((byte) stream).put(new byte[3]).putInt(length).put(payload, 0, length);
    return buffer.array();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private HijackedConnection open(String path, String body, Duration timeout) throws IOException {
    return HijackedConnection.open(EngineEndpoint.parse("unix://" + socket), path, body, timeout, scheduler);
  }

  @Test
  void upgradesThenEchoesStdinUntilEndOfFile() throws Exception {
    engine(connection -> {
      readRequest(connection);
      // the answer and the first output arrive in one write
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      answer.writeBytes(ascii("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
          + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
      answer.writeBytes(frame(1, ascii("early\n"), 6));
      write(connection, answer.toByteArray());
      ByteBuffer buffer = ByteBuffer.allocate(1024);
      int count;
      while ((count = connection.read(buffer)) >= 0) {
        write(connection, frame(1, buffer.array(), count));
        buffer.clear();
      }
      write(connection, frame(2, ascii("eof seen\n"), 9));
    });
    HijackedConnection connection = open("/exec/abc/start", "{\"Detach\":false,\"Tty\":false}", Duration.ofSeconds(5));
    assertThat(requestHead.get(5, TimeUnit.SECONDS))
        .startsWith("POST /exec/abc/start HTTP/1.1\r\n")
        .contains("Connection: Upgrade\r\n", "Upgrade: tcp\r\n", "Content-Type: application/json\r\n",
            "Content-Length: 28\r\n")
        .endsWith("\r\n\r\n{\"Detach\":false,\"Tty\":false}");
    List<StreamFrame> frames = new CopyOnWriteArrayList<>();
    List<Boolean> exitReads = new CopyOnWriteArrayList<>();
    HijackedSession session = HijackedSession.start(connection, "test-reader", false, true, true, frames::add,
        (width, height) -> { }, outputEnded -> {
          exitReads.add(outputEnded);
          return 9;
        });
    session.stdin().write(ascii("typed"));
    Thread.sleep(100);
    assertThat(session.completion()).isNotDone();
    session.stdin().close();
    session.stdin().close();
    assertThat(session.exitCode().get(5, TimeUnit.SECONDS)).isEqualTo(9);
    assertThat(session.completion()).isCompleted();
    assertThat(exitReads).containsExactly(true);
    assertThat(frames).extracting(frame -> frame.kind() + ":" + frame.text())
        .containsExactly("STDOUT:early\n", "STDOUT:typed", "STDERR:eof seen\n");
    assertThatThrownBy(() -> session.stdin().write(1)).isInstanceOf(IOException.class).hasMessage("stdin is closed");
  }

  @Test
  void withoutEofOnStdinCloseTheConnectionStaysOpenForWriting() throws Exception {
    CompletableFuture<Integer> readResult = new CompletableFuture<>();
    engine(connection -> {
      readRequest(connection);
      write(connection, ascii("HTTP/1.1 101 UPGRADED\r\n\r\nraw tty output"));
      ByteBuffer buffer = ByteBuffer.allocate(16);
      connection.configureBlocking(true);
      Thread.sleep(300);
      readResult.complete(connection.read(buffer));
    });
    HijackedSession session = HijackedSession.start(open("/exec/x/start", "{}", Duration.ofSeconds(5)), "tty-reader",
        true, true, false, frame -> { }, (width, height) -> { }, outputEnded -> 0);
    session.stdin().write(ascii("ab"));
    session.stdin().close();
    assertThat(readResult.get(5, TimeUnit.SECONDS)).as("no end of file after closing stdin with a TTY").isEqualTo(2);
    session.close();
    assertThat(session.exitCode().get(5, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void sessionWithoutStdinRejectsWrites() throws Exception {
    engine(connection -> {
      readRequest(connection);
      write(connection, ascii("HTTP/1.1 200 OK\r\n\r\n"));
      write(connection, frame(1, ascii("done"), 4));
    });
    List<StreamFrame> frames = new CopyOnWriteArrayList<>();
    HijackedSession session = HijackedSession.start(open("/containers/c/attach?stream=1", "", Duration.ofSeconds(5)),
        "attach-reader", false, false, true, frames::add, (width, height) -> { }, outputEnded -> 0);
    assertThatThrownBy(() -> session.stdin().write(ascii("x"))).isInstanceOf(IOException.class)
        .hasMessageContaining("no stdin");
    session.stdin().close();
    session.completion().get(5, TimeUnit.SECONDS);
    assertThat(frames).extracting(StreamFrame::text).containsExactly("done");
    assertThat(requestHead.get()).doesNotContain("Content-Type").contains("Content-Length: 0\r\n");
  }

  @Test
  void refusalCarriesTheEngineMessage() {
    engine(connection -> {
      readRequest(connection);
      String body = "{\"message\":\"No such exec instance: abc\"}";
      write(connection, ascii("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
          + body.length() + "\r\n\r\n" + body));
      Thread.sleep(5_000);
    });
    assertThatThrownBy(() -> open("/exec/abc/start", "{}", Duration.ofSeconds(3)))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessage("engine answered 404: No such exec instance: abc");
  }

  @Test
  void chunkedRefusalIsRead() {
    engine(connection -> {
      readRequest(connection);
      write(connection, ascii("HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "c\r\n{\"message\":\"\r\n1d\r\ncontainer 1 is not running\"}\r\n0\r\n\r\n"));
      Thread.sleep(5_000);
    });
    assertThatThrownBy(() -> open("/containers/1/attach", "", Duration.ofSeconds(3)))
        .isInstanceOf(ContainerRuntimeException.class)
        .hasMessage("engine answered 409: container 1 is not running");
  }

  @Test
  void silentEngineTimesOut() {
    engine(connection -> {
      readRequest(connection);
      Thread.sleep(5_000);
    });
    long started = System.nanoTime();
    assertThatThrownBy(() -> open("/exec/abc/start", "{}", Duration.ofMillis(300)))
        .isInstanceOf(IOException.class).hasMessageContaining("did not answer");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void failingSinkFailsTheSessionAndClosesTheConnection() throws Exception {
    CompletableFuture<Integer> afterFailure = new CompletableFuture<>();
    engine(connection -> {
      readRequest(connection);
      write(connection, ascii("HTTP/1.1 101 UPGRADED\r\n\r\n"));
      write(connection, frame(1, ascii("boom"), 4));
      ByteBuffer buffer = ByteBuffer.allocate(16);
      afterFailure.complete(connection.read(buffer));
    });
    HijackedSession session = HijackedSession.start(open("/exec/x/start", "{}", Duration.ofSeconds(5)),
        "failing-reader", false, true, true, frame -> {
          throw new IllegalStateException("client gone");
        }, (width, height) -> { }, outputEnded -> outputEnded ? 0 : -1);
    assertThatThrownBy(() -> session.completion().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasRootCauseMessage("client gone");
    assertThat(session.exitCode().get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(afterFailure.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
  }

  @Test
  void closeEndsTheReaderAndUnblocksIt() throws Exception {
    engine(connection -> {
      readRequest(connection);
      write(connection, ascii("HTTP/1.1 101 UPGRADED\r\n\r\n"));
      Thread.sleep(5_000);
    });
    HijackedSession session = HijackedSession.start(open("/exec/x/start", "{}", Duration.ofSeconds(5)),
        "closing-reader", false, true, true, frame -> { }, (width, height) -> { }, outputEnded -> outputEnded ? 0 : -1);
    Thread.sleep(100);
    assertThat(session.readerAlive()).isTrue();
    session.close();
    session.completion().get(5, TimeUnit.SECONDS);
    assertThat(session.exitCode().get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (session.readerAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(session.readerAlive()).isFalse();
    assertThatThrownBy(() -> session.stdin().write(1)).isInstanceOf(IOException.class);
  }

  @Test
  void endpointsAreParsed() {
    assertThat(EngineEndpoint.parse("unix:///var/run/docker.sock").unix()).isTrue();
    assertThat(EngineEndpoint.parse("unix:///var/run/docker.sock").address())
        .isEqualTo(UnixDomainSocketAddress.of("/var/run/docker.sock"));
    EngineEndpoint tcp = EngineEndpoint.parse("tcp://127.0.0.1:2375");
    assertThat(tcp.unix()).isFalse();
    assertThat(tcp.address().toString()).contains("127.0.0.1").contains("2375");
    assertThatThrownBy(() -> EngineEndpoint.parse("npipe:////./pipe/docker_engine"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EngineEndpoint.parse("tcp://127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
  }
}

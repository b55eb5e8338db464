package io.minicluster.apiserver.streams;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client collecting whole binary and text messages. */
final class WebSocketTestClient implements WebSocket.Listener {
  final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final StringBuilder partialText = new StringBuilder();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  WebSocket socket;

  static WebSocketTestClient connect(String uri, String subprotocol, String... lesserSubprotocols)
      throws Exception {
    WebSocketTestClient client = new WebSocketTestClient();
    client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .subprotocols(subprotocol, lesserSubprotocols)
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(uri), client)
        .get(10, TimeUnit.SECONDS);
    return client;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    partial.writeBytes(bytes);
    if (last) {
      messages.add(partial.toByteArray());
      partial.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partialText.append(data);
    if (last) {
      texts.add(partialText.toString());
      partialText.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  void send(byte[] message) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(message), true).get(5, TimeUnit.SECONDS);
  }

  void sendText(String message) throws Exception {
    socket.sendText(message, true).get(5, TimeUnit.SECONDS);
  }

  String nextText() throws InterruptedException {
    String message = texts.poll(10, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no text message within 10s");
    }
    return message;
  }

  byte[] next() throws InterruptedException {
    byte[] message = messages.poll(10, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no message within 10s");
    }
    return message;
  }
}

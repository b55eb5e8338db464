package io.minicluster.apiserver.webhook;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls webhooks over HTTPS, verifying the server with the clientConfig's caBundle (the system's roots without one).
 * A {@code url} is called as given; a {@code service} is called at one of its ready endpoints, which the
 * {@link ServiceResolver} finds (the daemon runs on the host, where pods are reachable and virtual IPs need not be),
 * and its certificate must name {@code <service>.<namespace>.svc}, as the apiserver's service resolver asks.
 */
public final class HttpsWebhookClient implements WebhookClient {
  /** Finds where a service's port is served: a ready endpoint's address and target port. */
  public interface ServiceResolver {
    InetSocketAddress resolve(String namespace, String name, int port) throws CallFailure;
  }

  private final ServiceResolver services;

  public HttpsWebhookClient(ServiceResolver services) {
    this.services = requireNonNull(services, "services is null");
  }

  @Override
  public byte[] post(JsonNode clientConfig, byte[] body, Duration timeout) throws CallFailure {
    String query = "?timeout=" + timeout.toSeconds() + "s";
    URL url;
    HostnameVerifier verifier = null;
    try {
      String given = Json.textOrNull(clientConfig, "url");
      if (given != null) {
        url = URI.create(given + query).toURL();
      } else {
        JsonNode service = Json.get(clientConfig, "service");
        String namespace = Json.text(service, "namespace");
        String name = Json.text(service, "name");
        InetSocketAddress address = services.resolve(namespace, name, (int) Json.number(service, "port", 443));
        String path = Json.text(service, "path");
        String host = address.getAddress().getHostAddress();
        url = URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort()
            + (path.isEmpty() ? "/" : path) + query).toURL();
        String serverName = name + "." + namespace + ".svc";
        verifier = (hostname, session) -> {
          try {
            return names((X509Certificate) session.getPeerCertificates()[0]).contains(serverName);
          } catch (SSLPeerUnverifiedException e) {
            return false;
          }
        };
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CallFailure(e.getMessage());
    }
    return send(url, sslContext(Json.textOrNull(clientConfig, "caBundle")), verifier, body, timeout);
  }

  private static byte[] send(URL url, SSLContext ssl, HostnameVerifier verifier, byte[] body, Duration timeout)
      throws CallFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpsURLConnection connection = null;
    try {
      connection = (HttpsURLConnection) url.openConnection();
      connection.setSSLSocketFactory(ssl.getSocketFactory());
      if (verifier != null) {
        connection.setHostnameVerifier(verifier);
      }
      connection.setConnectTimeout((int) Math.max(1, timeout.toMillis()));
      connection.setReadTimeout((int) Math.max(1, timeout.toMillis()));
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setRequestProperty("Accept", "application/json, */*");
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      if (status < 200 || status > 299) {
        InputStream error = connection.getErrorStream();
        String text = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8).trim();
        throw new CallFailure("the server responded with the status code " + status
            + " but did not return more information" + (text.isEmpty() ? "" : ": " + text));
      }
      try (InputStream in = connection.getInputStream()) {
        return in.readAllBytes();
      }
    } catch (SocketTimeoutException e) {
      throw new CallFailure("context deadline exceeded");
    } catch (ConnectException e) {
      throw new CallFailure(System.nanoTime() >= deadline ? "context deadline exceeded"
          : "dial tcp " + url.getHost() + ":" + url.getPort() + ": connect: connection refused");
    } catch (SSLException e) {
      throw new CallFailure("tls: failed to verify certificate: " + e.getMessage());
    } catch (IOException e) {
      throw new CallFailure(e.getMessage());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** Trusts the PEM certificates of a caBundle (base64 in the object), or the system's roots without one. */
  private static SSLContext sslContext(String caBundle) throws CallFailure {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      if (caBundle == null || caBundle.isEmpty()) {
        context.init(null, null, null);
        return context;
      }
      byte[] pem = Base64.getMimeDecoder().decode(caBundle);
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem));
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new CallFailure("unable to load the caBundle: " + e.getMessage());
    }
  }

  private static List<String> names(X509Certificate certificate) {
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives == null) {
        return List.of();
      }
      return alternatives.stream().filter(entry -> Integer.valueOf(2).equals(entry.get(0)))
          .map(entry -> String.valueOf(entry.get(1))).toList();
    } catch (GeneralSecurityException e) {
      return List.of();
    }
  }
}

package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts built from our certificates: the API server's Netty context and client contexts trusting our CA. */
public final class TlsContexts {
  /** TLS versions offered by server and clients, newest first. */
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private TlsContexts() {}

  /**
   * BoringSSL (netty-tcnative) when its native library loads on this platform: a request over TLS costs several times
   * less CPU than with the JDK's SSLEngine. The JDK provider otherwise, or when {@code -Dminicluster.tls.provider=jdk}.
   */
  public static SslProvider provider() {
    if ("jdk".equalsIgnoreCase(System.getProperty("minicluster.tls.provider"))) {
      return SslProvider.JDK;
    }
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /**
   * The API server's context: serves {@code certificate} with {@code key}, asks for (but does not require) a client
   * certificate and verifies it against {@code clientCa}, negotiates only "http/1.1" over ALPN (never h2: Go clients
   * offer h2 first and must fall back to HTTP/1.1).
   */
  public static SslContext server(PrivateKey key, X509Certificate certificate, X509Certificate clientCa) {
    requireNonNull(key, "key is null");
    requireNonNull(certificate, "certificate is null");
    requireNonNull(clientCa, "clientCa is null");
    try {
      return SslContextBuilder.forServer(key, certificate)
          .sslProvider(provider())
          .trustManager(clientCa)
          .clientAuth(ClientAuth.OPTIONAL)
          .protocols(PROTOCOLS)
          .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build server TLS context", e);
    }
  }

  /** A Netty client context trusting {@code ca}; presents {@code clientCertificate} when key and cert are given. */
  public static SslContext nettyClient(X509Certificate ca, PrivateKey clientKey, X509Certificate clientCertificate) {
    requireNonNull(ca, "ca is null");
    try {
      SslContextBuilder builder = SslContextBuilder.forClient()
          .sslProvider(provider())
          .trustManager(ca)
          .protocols(PROTOCOLS);
      if (clientKey != null && clientCertificate != null) {
        builder.keyManager(clientKey, clientCertificate);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build client TLS context", e);
    }
  }

  /** A JDK client context trusting {@code ca}; presents {@code clientCertificate} when key and cert are given. */
  public static SSLContext jdkClient(X509Certificate ca, PrivateKey clientKey, X509Certificate clientCertificate) {
    requireNonNull(ca, "ca is null");
    try {
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("minicluster-ca", ca);
      TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustFactory.init(trustStore);

      KeyManagerFactory keyFactory = null;
      if (clientKey != null && clientCertificate != null) {
        char[] password = new char[0];
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("client", clientKey, password, new X509Certificate[] {clientCertificate, ca});
        keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyFactory.init(keyStore, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyFactory == null ? null : keyFactory.getKeyManagers(), trustFactory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build JDK client TLS context", e);
    }
  }
}

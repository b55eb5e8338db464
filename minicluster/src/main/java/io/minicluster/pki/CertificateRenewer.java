package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running daemon's certificates from expiring: {@link #check} (run by {@link #start} once a day) reloads the
 * PKI as of the clock's time, which re-issues the serving and admin certificates that expire within {@link
 * Pki#RENEW_BEFORE} (and a CA that does, with everything it signed), and hands a changed PKI to the listener, which
 * swaps the API server's TLS context and rewrites the kubeconfig. Start-up does the same through {@link
 * Pki#loadOrCreate}.
 */
public final class CertificateRenewer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewer.class);
  /** How often the running daemon checks. */
  public static final Duration CHECK_PERIOD = Duration.ofDays(1);

  /** Told about a PKI with renewed certificates. */
  public interface Listener {
    void renewed(Pki renewed) throws IOException;
  }

  private final Path dataDir;
  private final List<String> dnsNames;
  private final List<InetAddress> addresses;
  private final Clock clock;
  private final Listener listener;
  private final ScheduledExecutorService timer;
  private Pki current;

  public CertificateRenewer(Path dataDir, List<String> dnsNames, List<InetAddress> addresses, Pki current, Clock clock,
      Listener listener) {
    this.dataDir = requireNonNull(dataDir, "dataDir is null");
    this.dnsNames = List.copyOf(dnsNames);
    this.addresses = List.copyOf(addresses);
    this.current = requireNonNull(current, "current is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "certificate-renewer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Checks every {@code period}, the first time one period from now. */
  public void start(Duration period) {
    long millis = period.toMillis();
    timer.scheduleWithFixedDelay(this::checkSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void checkSafely() {
    try {
      check();
    } catch (IOException | RuntimeException e) {
      LOG.warn("certificate renewal check failed (next try in {}): {}", CHECK_PERIOD, e.toString());
    }
  }

  /** Renews what is due as of the clock's time; true when a certificate changed (the listener was told). */
  public synchronized boolean check() throws IOException {
    Pki loaded = Pki.loadOrCreate(dataDir, dnsNames, addresses, clock.instant());
    boolean changed = !loaded.caCertificate().equals(current.caCertificate())
        || !loaded.serverCertificate().equals(current.serverCertificate())
        || !loaded.adminCertificate().equals(current.adminCertificate());
    if (!changed) {
      return false;
    }
    LOG.info("certificates renewed: API server certificate valid until {}, admin certificate until {}",
        loaded.serverCertificate().getNotAfter().toInstant(), loaded.adminCertificate().getNotAfter().toInstant());
    listener.renewed(loaded);
    current = loaded;
    return true;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

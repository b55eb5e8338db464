package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates and admin credentials, kept as PEM files in {@code <dataDir>/pki/}: a CA
 * ({@code ca.crt}, {@code ca.key}), the API server's serving certificate ({@code server.crt}, {@code server.key}),
 * the admin client certificate ({@code admin.crt}, {@code admin.key}; CN {@value #ADMIN_USER}, O
 * {@value #ADMIN_GROUP}) and an admin bearer token ({@code admin.token}). Keys and the token are mode 0600, the
 * directories 0700.
 *
 * <p>{@link #loadOrCreate} reuses what exists. It re-issues, from the same CA, the serving certificate when it lacks
 * a name or address now needed, is not signed by the CA or expires within {@link #RENEW_BEFORE}; and the admin
 * certificate when it is not signed by the CA or expires soon. A missing or broken CA recreates everything.
 */
public final class Pki {
  private static final Logger LOG = LoggerFactory.getLogger(Pki.class);

  public static final String CA_COMMON_NAME = "minicluster-ca";
  public static final String SERVER_COMMON_NAME = "minicluster-apiserver";
  public static final String ADMIN_USER = "minicluster-admin";
  public static final String ADMIN_GROUP = "system:masters";
  /** The in-cluster names of the API server; always in the serving certificate. */
  public static final List<String> KUBERNETES_SERVICE_NAMES = List.of("kubernetes", "kubernetes.default",
      "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);
  /** How far back signed requests' certificates start (the CSR signer's backdate). */
  static final Duration SIGNING_BACKDATE = Duration.ofMinutes(5);
  /** Signed requests' certificates shorter than this are not shortened by the backdate. */
  static final Duration SIGNING_SHORT = Duration.ofHours(8);

  public static final String CA_CERTIFICATE_FILE = "ca.crt";
  public static final String CA_KEY_FILE = "ca.key";
  public static final String SERVER_CERTIFICATE_FILE = "server.crt";
  public static final String SERVER_KEY_FILE = "server.key";
  public static final String ADMIN_CERTIFICATE_FILE = "admin.crt";
  public static final String ADMIN_KEY_FILE = "admin.key";
  public static final String ADMIN_TOKEN_FILE = "admin.token";

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private final Path directory;
  private final X509Certificate caCertificate;
  private final PrivateKey caKey;
  private final X509Certificate serverCertificate;
  private final PrivateKey serverKey;
  private final X509Certificate adminCertificate;
  private final PrivateKey adminKey;
  private final String adminToken;

  private Pki(Path directory, X509Certificate caCertificate, PrivateKey caKey, X509Certificate serverCertificate,
      PrivateKey serverKey, X509Certificate adminCertificate, PrivateKey adminKey, String adminToken) {
    this.directory = directory;
    this.caCertificate = caCertificate;
    this.caKey = caKey;
    this.serverCertificate = serverCertificate;
    this.serverKey = serverKey;
    this.adminCertificate = adminCertificate;
    this.adminKey = adminKey;
    this.adminToken = adminToken;
  }

  /**
   * Loads the PKI of {@code dataDir}, creating or repairing what is missing.
   *
   * @param dataDir the daemon's data directory (made 0700); files go to {@code dataDir/pki}
   * @param dnsNames extra DNS names for the serving certificate (localhost, the host name and
   *     {@link #KUBERNETES_SERVICE_NAMES} are always included)
   * @param addresses extra IP addresses for the serving certificate, e.g. the kubernetes service IP 10.96.0.1
   *     (127.0.0.1 and ::1 are always included)
   */
  public static Pki loadOrCreate(Path dataDir, List<String> dnsNames, List<InetAddress> addresses)
      throws IOException {
    return loadOrCreate(dataDir, dnsNames, addresses, Instant.now());
  }

  /**
   * As {@link #loadOrCreate(Path, List, List)}, deciding what is due for renewal as of {@code now}: a certificate is
   * re-issued when it expires before {@code now + RENEW_BEFORE}. New certificates are valid from the real time.
   */
  public static Pki loadOrCreate(Path dataDir, List<String> dnsNames, List<InetAddress> addresses, Instant now)
      throws IOException {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(now, "now is null");
    requireNonNull(dnsNames, "dnsNames is null");
    requireNonNull(addresses, "addresses is null");
    SecureFiles.ensurePrivateDirectory(dataDir);
    Path directory = dataDir.resolve("pki");
    SecureFiles.ensurePrivateDirectory(directory);
    CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
    List<String> wantedNames = requiredDnsNames(dnsNames);
    List<InetAddress> wantedAddresses = requiredAddresses(addresses);
    Instant renewAfter = now.plus(RENEW_BEFORE);

    X509Certificate ca = readCertificate(directory.resolve(CA_CERTIFICATE_FILE));
    PrivateKey caKey = readKey(directory.resolve(CA_KEY_FILE));
    boolean newCa = false;
    if (ca == null || caKey == null || !keyMatches(caKey, ca.getPublicKey())
        || ca.getNotAfter().toInstant().isBefore(renewAfter)) {
      if (ca != null || caKey != null) {
        LOG.warn("CA in {} is missing, mismatched or expiring; creating a new CA and new certificates", directory);
      }
      KeyPair keys = issuer.newKeyPair();
      ca = issuer.selfSignedCa(keys, CA_COMMON_NAME, CA_VALIDITY);
      caKey = keys.getPrivate();
      writeKey(directory.resolve(CA_KEY_FILE), caKey);
      writeCertificate(directory.resolve(CA_CERTIFICATE_FILE), ca);
      newCa = true;
    }

    X509Certificate server = newCa ? null : readCertificate(directory.resolve(SERVER_CERTIFICATE_FILE));
    PrivateKey serverKey = newCa ? null : readKey(directory.resolve(SERVER_KEY_FILE));
    if (!usableLeaf(server, serverKey, ca, renewAfter) || !coversNames(server, wantedNames, wantedAddresses)) {
      if (server != null) {
        LOG.info("re-issuing the API server certificate (was valid until {}) for names {} and addresses {}",
            server.getNotAfter().toInstant(), wantedNames, addressStrings(wantedAddresses));
      }
      KeyPair keys = issuer.newKeyPair();
      server = issuer.serverCertificate(ca, caKey, keys.getPublic(), SERVER_COMMON_NAME, wantedNames,
          wantedAddresses, LEAF_VALIDITY);
      serverKey = keys.getPrivate();
      writeKey(directory.resolve(SERVER_KEY_FILE), serverKey);
      writeCertificate(directory.resolve(SERVER_CERTIFICATE_FILE), server);
    }

    X509Certificate admin = newCa ? null : readCertificate(directory.resolve(ADMIN_CERTIFICATE_FILE));
    PrivateKey adminKey = newCa ? null : readKey(directory.resolve(ADMIN_KEY_FILE));
    if (!usableLeaf(admin, adminKey, ca, renewAfter)) {
      if (admin != null) {
        LOG.info("re-issuing the admin client certificate (was valid until {})", admin.getNotAfter().toInstant());
      }
      KeyPair keys = issuer.newKeyPair();
      admin = issuer.clientCertificate(ca, caKey, keys.getPublic(), ADMIN_USER, List.of(ADMIN_GROUP),
          LEAF_VALIDITY);
      adminKey = keys.getPrivate();
      writeKey(directory.resolve(ADMIN_KEY_FILE), adminKey);
      writeCertificate(directory.resolve(ADMIN_CERTIFICATE_FILE), admin);
    }

    Path tokenFile = directory.resolve(ADMIN_TOKEN_FILE);
    String token = Files.exists(tokenFile) ? Files.readString(tokenFile, StandardCharsets.US_ASCII).trim() : "";
    if (token.length() < 32) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      SecureFiles.writeAtomically(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII),
          SecureFiles.OWNER_READ_WRITE);
    }
    return new Pki(directory, ca, caKey, server, serverKey, admin, adminKey, token);
  }

  /**
   * Checks that {@code directory} holds a usable CA (certificate and matching private key), as a restore needs before
   * it replaces anything; the leaf certificates are re-issued at start when they do not fit.
   *
   * @throws IOException naming the problem
   */
  public static void checkCa(Path directory) throws IOException {
    X509Certificate ca = readCertificate(directory.resolve(CA_CERTIFICATE_FILE));
    PrivateKey key = readKey(directory.resolve(CA_KEY_FILE));
    if (ca == null || key == null) {
      throw new IOException("no readable CA certificate and key (" + CA_CERTIFICATE_FILE + ", " + CA_KEY_FILE + ")");
    }
    if (!keyMatches(key, ca.getPublicKey())) {
      throw new IOException("the CA key does not belong to the CA certificate");
    }
  }

  /** localhost, the host name, the kubernetes service names, then the caller's names; lower case, no duplicates. */
  static List<String> requiredDnsNames(List<String> extra) {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    String host = hostName();
    if (host != null) {
      names.add(host);
    }
    names.addAll(KUBERNETES_SERVICE_NAMES);
    for (String name : extra) {
      names.add(requireNonNull(name, "dns name is null").toLowerCase(Locale.ROOT));
    }
    return List.copyOf(names);
  }

  static List<InetAddress> requiredAddresses(List<InetAddress> extra) {
    Set<InetAddress> addresses = new LinkedHashSet<>();
    addresses.add(InetAddress.getLoopbackAddress());
    try {
      addresses.add(InetAddress.getByName("127.0.0.1"));
      addresses.add(InetAddress.getByName("::1"));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("literal address did not parse", e);
    }
    for (InetAddress address : extra) {
      addresses.add(requireNonNull(address, "address is null"));
    }
    return List.copyOf(addresses);
  }

  /** This machine's host name when it is a plausible DNS name, else null. */
  static String hostName() {
    String name = null;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      name = System.getenv("HOSTNAME");
    }
    if (name == null) {
      return null;
    }
    name = name.toLowerCase(Locale.ROOT);
    return HOST_NAME.matcher(name).matches() ? name : null;
  }

  private static boolean usableLeaf(X509Certificate certificate, PrivateKey key, X509Certificate ca,
      Instant renewAfter) {
    if (certificate == null || key == null) {
      return false;
    }
    try {
      certificate.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    return !certificate.getNotAfter().toInstant().isBefore(renewAfter) && keyMatches(key, certificate.getPublicKey());
  }

  /** Whether the certificate's subject alternative names include every wanted name and address. */
  static boolean coversNames(X509Certificate certificate, List<String> names, List<InetAddress> addresses) {
    if (certificate == null) {
      return false;
    }
    Set<String> dns = new LinkedHashSet<>();
    Set<InetAddress> ips = new LinkedHashSet<>();
    try {
      Collection<List<?>> alternativeNames = certificate.getSubjectAlternativeNames();
      if (alternativeNames == null) {
        return false;
      }
      for (List<?> entry : alternativeNames) {
        int type = (Integer) entry.get(0);
        String value = String.valueOf(entry.get(1));
        if (type == 2) {
          dns.add(value.toLowerCase(Locale.ROOT));
        } else if (type == 7) {
          ips.add(InetAddress.getByName(value));
        }
      }
    } catch (CertificateParsingException | UnknownHostException e) {
      return false;
    }
    return dns.containsAll(names) && ips.containsAll(addresses);
  }

  /** Whether the private key belongs to the public key (sign and verify a probe). */
  static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> null;
    };
    if (algorithm == null || !privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    try {
      byte[] probe = "minicluster key probe".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static X509Certificate readCertificate(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Pem.parseCertificate(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring unreadable certificate {}: {}", file, e.getMessage());
      return null;
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Pem.parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring unreadable private key {}: {}", file, e.getMessage());
      return null;
    }
  }

  private static void writeKey(Path file, PrivateKey key) throws IOException {
    SecureFiles.writeAtomically(file, Pem.privateKey(key).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.OWNER_READ_WRITE);
  }

  private static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    SecureFiles.writeAtomically(file, Pem.certificate(certificate).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.PUBLIC_READ);
  }

  private static List<String> addressStrings(List<InetAddress> addresses) {
    List<String> result = new ArrayList<>();
    for (InetAddress address : addresses) {
      result.add(address.getHostAddress());
    }
    return result;
  }

  /** The pki directory ({@code dataDir/pki}). */
  public Path directory() {
    return directory;
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  public String caCertificatePem() {
    return Pem.certificate(caCertificate);
  }

  public X509Certificate serverCertificate() {
    return serverCertificate;
  }

  public PrivateKey serverKey() {
    return serverKey;
  }

  public X509Certificate adminCertificate() {
    return adminCertificate;
  }

  public String adminCertificatePem() {
    return Pem.certificate(adminCertificate);
  }

  public PrivateKey adminKey() {
    return adminKey;
  }

  public String adminKeyPem() {
    return Pem.privateKey(adminKey);
  }

  /** The admin bearer token (43 characters of base64url); also in {@code pki/admin.token}. */
  public String adminToken() {
    return adminToken;
  }

  /** The API server's Netty TLS context (see {@link TlsContexts#server}). Build once and share. */
  public SslContext serverSslContext() {
    return TlsContexts.server(serverKey, serverCertificate, caCertificate);
  }

  /** A Netty client context trusting the CA; with the admin certificate when {@code presentAdminCertificate}. */
  public SslContext clientSslContext(boolean presentAdminCertificate) {
    return presentAdminCertificate
        ? TlsContexts.nettyClient(caCertificate, adminKey, adminCertificate)
        : TlsContexts.nettyClient(caCertificate, null, null);
  }

  /** A JDK client context trusting the CA; with the admin certificate when {@code presentAdminCertificate}. */
  public SSLContext jdkClientSslContext(boolean presentAdminCertificate) {
    return presentAdminCertificate
        ? TlsContexts.jdkClient(caCertificate, adminKey, adminCertificate)
        : TlsContexts.jdkClient(caCertificate, null, null);
  }

  /** A key and certificate pair. */
  public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {
    public IssuedCertificate {
      requireNonNull(certificate, "certificate is null");
      requireNonNull(key, "key is null");
    }
  }

  /** Issues a new client certificate from the CA (CN = user, O = groups); nothing is written to disk. */
  public IssuedCertificate issueClientCertificate(String user, List<String> groups, Duration validity) {
    requireNonNull(user, "user is null");
    requireNonNull(groups, "groups is null");
    requireNonNull(validity, "validity is null");
    CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
    KeyPair keys = issuer.newKeyPair();
    return new IssuedCertificate(
        issuer.clientCertificate(caCertificate, caKey, keys.getPublic(), user, groups, validity), keys.getPrivate());
  }

  /**
   * Signs a certificate signing request with the CA, as kube-controller-manager's CSR signer does with the cluster
   * signing key (its PermissiveSigningPolicy): the request's subject and names, the usages named, valid from 5 minutes
   * ago until {@code ttl} from now, less those 5 minutes for a ttl of 8 hours or more, and at most until the CA expires.
   *
   * @return the certificate's PEM
   * @throws IllegalArgumentException when the request does not parse or verify
   */
  public String signRequest(byte[] requestPem, List<String> usages, Duration ttl) {
    requireNonNull(usages, "usages is null");
    requireNonNull(ttl, "ttl is null");
    CertificateRequest request = CertificateRequest.parse(requestPem);
    Instant now = Instant.now();
    Instant notAfter = ttl.compareTo(SIGNING_SHORT) < 0 ? now.plus(ttl) : now.plus(ttl).minus(SIGNING_BACKDATE);
    return Pem.certificate(new CertificateIssuer(new SecureRandom()).fromRequest(caCertificate, caKey, request,
        usages, now.minus(SIGNING_BACKDATE), notAfter));
  }

  /** Writes an admin kubeconfig for {@code serverUrl} (client certificate auth) to {@code file}. */
  public void writeAdminKubeconfig(Path file, String serverUrl) throws IOException {
    Kubeconfig.write(file, serverUrl, caCertificatePem(), null, adminCertificatePem(), adminKeyPem());
  }
}

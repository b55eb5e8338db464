package io.minicluster.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: replaces the serving or admin certificate of a PKI directory with one from the same CA that expires
 * after {@code validity} (negative: already expired), as a long-running appliance would find them.
 */
final class ShortLivedCertificates {
  private ShortLivedCertificates() {}

  static X509Certificate replaceServerCertificate(Pki pki, Duration validity) throws IOException {
    CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
    KeyPair keys = issuer.newKeyPair();
    // the same names and addresses as the current certificate: only the expiry may make it due for renewal
    List<String> names = new ArrayList<>();
    List<InetAddress> addresses = new ArrayList<>();
    try {
      for (List<?> entry : pki.serverCertificate().getSubjectAlternativeNames()) {
        if ((Integer) entry.get(0) == 2) {
          names.add((String) entry.get(1));
        } else if ((Integer) entry.get(0) == 7) {
          addresses.add(InetAddress.getByName((String) entry.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      throw new IOException(e);
    }
    X509Certificate certificate = issuer.serverCertificate(pki.caCertificate(), caKey(pki), keys.getPublic(),
        Pki.SERVER_COMMON_NAME, names, addresses, validity);
    write(pki.directory(), Pki.SERVER_CERTIFICATE_FILE, Pki.SERVER_KEY_FILE, certificate, keys);
    return certificate;
  }

  static X509Certificate replaceAdminCertificate(Pki pki, Duration validity) throws IOException {
    CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
    KeyPair keys = issuer.newKeyPair();
    X509Certificate certificate = issuer.clientCertificate(pki.caCertificate(), caKey(pki), keys.getPublic(),
        Pki.ADMIN_USER, List.of(Pki.ADMIN_GROUP), validity);
    write(pki.directory(), Pki.ADMIN_CERTIFICATE_FILE, Pki.ADMIN_KEY_FILE, certificate, keys);
    return certificate;
  }

  private static PrivateKey caKey(Pki pki) throws IOException {
    return Pem.parsePrivateKey(Files.readString(pki.directory().resolve(Pki.CA_KEY_FILE), StandardCharsets.US_ASCII));
  }

  private static void write(Path directory, String certificateFile, String keyFile, X509Certificate certificate,
      KeyPair keys) throws IOException {
    SecureFiles.writeAtomically(directory.resolve(keyFile),
        Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), SecureFiles.OWNER_READ_WRITE);
    SecureFiles.writeAtomically(directory.resolve(certificateFile),
        Pem.certificate(certificate).getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC_READ);
  }
}

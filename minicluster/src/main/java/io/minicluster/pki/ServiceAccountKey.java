package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key pair that signs service-account tokens, as kubeadm's {@code sa.key}/{@code sa.pub}: an EC P-256 key
 * generated once in the pki directory next to the CA ({@code sa.key} mode 0600, {@code sa.pub} 0644) and kept across
 * restarts, certificate renewals and CA re-creation (tokens stay valid as long as the key does); backups of the pki
 * directory carry it.
 */
public final class ServiceAccountKey {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountKey.class);
  public static final String PRIVATE_KEY_FILE = "sa.key";
  public static final String PUBLIC_KEY_FILE = "sa.pub";

  private ServiceAccountKey() {}

  /** The key pair of {@code pkiDirectory}, created when missing or unusable (a new key invalidates older tokens). */
  public static KeyPair loadOrCreate(Path pkiDirectory) throws IOException {
    requireNonNull(pkiDirectory, "pkiDirectory is null");
    SecureFiles.ensurePrivateDirectory(pkiDirectory);
    Path privateFile = pkiDirectory.resolve(PRIVATE_KEY_FILE);
    Path publicFile = pkiDirectory.resolve(PUBLIC_KEY_FILE);
    PrivateKey privateKey = null;
    PublicKey publicKey = null;
    try {
      if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
        privateKey = Pem.parsePrivateKey(Files.readString(privateFile, StandardCharsets.US_ASCII));
        publicKey = Pem.parsePublicKey(Files.readString(publicFile, StandardCharsets.US_ASCII));
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring unreadable service-account key in {}: {}", pkiDirectory, e.getMessage());
      privateKey = null;
    }
    if (privateKey != null && publicKey != null && Pki.keyMatches(privateKey, publicKey)) {
      return new KeyPair(publicKey, privateKey);
    }
    if (Files.exists(privateFile)) {
      LOG.warn("the service-account key in {} is unusable: a new one is created (older tokens become invalid)",
          pkiDirectory);
    }
    KeyPair keys = new CertificateIssuer(new SecureRandom()).newKeyPair();
    SecureFiles.writeAtomically(privateFile, Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.OWNER_READ_WRITE);
    SecureFiles.writeAtomically(publicFile, Pem.publicKey(keys.getPublic()).getBytes(StandardCharsets.US_ASCII),
        SecureFiles.PUBLIC_READ);
    return keys;
  }
}

package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding of certificates ("CERTIFICATE"), private keys (PKCS#8 "PRIVATE KEY") and public keys (PKIX "PUBLIC
 * KEY"), the forms Go and kubectl read.
 */
public final class Pem {
  private Pem() {}

  public static String certificate(X509Certificate certificate) {
    requireNonNull(certificate, "certificate is null");
    try {
      return encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  /** PKCS#8 PEM; JDK private keys encode as PKCS#8. */
  public static String privateKey(PrivateKey key) {
    requireNonNull(key, "key is null");
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key is not PKCS#8 encodable: " + key.getFormat());
    }
    return encode("PRIVATE KEY", key.getEncoded());
  }

  /** PKIX ("PUBLIC KEY") PEM, as openssl and kubeadm's sa.pub. */
  public static String publicKey(PublicKey key) {
    requireNonNull(key, "key is null");
    return encode("PUBLIC KEY", key.getEncoded());
  }

  /** Parses a PKIX ("PUBLIC KEY") PEM. */
  public static PublicKey parsePublicKey(String pem) {
    Object object = parseFirst(pem);
    if (!(object instanceof SubjectPublicKeyInfo info)) {
      throw new IllegalArgumentException("PEM does not hold a public key");
    }
    try {
      return new JcaPEMKeyConverter().getPublicKey(info);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid public key: " + e.getMessage(), e);
    }
  }

  private static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Parses the first certificate of a PEM text. */
  public static X509Certificate parseCertificate(String pem) {
    Object object = parseFirst(pem);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException("PEM does not hold a certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("invalid certificate: " + e.getMessage(), e);
    }
  }

  /** Parses a private key in PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") PEM. */
  public static PrivateKey parsePrivateKey(String pem) {
    Object object = parseFirst(pem);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("PEM does not hold a private key");
  }

  private static Object parseFirst(String pem) {
    requireNonNull(pem, "pem is null");
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new IllegalArgumentException("no PEM block found");
      }
      return object;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
    }
  }
}

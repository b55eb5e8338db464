package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Creates EC P-256 keys and X.509 v3 certificates (CA, TLS server, TLS client) with BouncyCastle. */
final class CertificateIssuer {
  /** Certificates start this much in the past so small clock differences do not make them "not yet valid". */
  static final Duration BACKDATE = Duration.ofHours(1);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  /** certificates.k8s.io's key usages that are X.509 key usage bits (KeyUsagesFromStrings). */
  private static final Map<String, Integer> KEY_USAGES = Map.of(
      "signing", KeyUsage.digitalSignature, "digital signature", KeyUsage.digitalSignature,
      "content commitment", KeyUsage.nonRepudiation, "key encipherment", KeyUsage.keyEncipherment,
      "key agreement", KeyUsage.keyAgreement, "data encipherment", KeyUsage.dataEncipherment,
      "cert sign", KeyUsage.keyCertSign, "crl sign", KeyUsage.cRLSign, "encipher only", KeyUsage.encipherOnly,
      "decipher only", KeyUsage.decipherOnly);
  /** certificates.k8s.io's key usages that are extended key usages. */
  private static final Map<String, KeyPurposeId> EXTENDED_KEY_USAGES = Map.ofEntries(
      Map.entry("any", KeyPurposeId.anyExtendedKeyUsage), Map.entry("server auth", KeyPurposeId.id_kp_serverAuth),
      Map.entry("client auth", KeyPurposeId.id_kp_clientAuth), Map.entry("code signing", KeyPurposeId.id_kp_codeSigning),
      Map.entry("email protection", KeyPurposeId.id_kp_emailProtection),
      Map.entry("s/mime", KeyPurposeId.id_kp_emailProtection),
      Map.entry("ipsec end system", KeyPurposeId.id_kp_ipsecEndSystem),
      Map.entry("ipsec tunnel", KeyPurposeId.id_kp_ipsecTunnel), Map.entry("ipsec user", KeyPurposeId.id_kp_ipsecUser),
      Map.entry("timestamping", KeyPurposeId.id_kp_timeStamping),
      Map.entry("ocsp signing", KeyPurposeId.id_kp_OCSPSigning),
      Map.entry("microsoft sgc", KeyPurposeId.id_kp_msSGC), Map.entry("netscape sgc", KeyPurposeId.id_kp_nsSGC));

  private final SecureRandom random;

  CertificateIssuer(SecureRandom random) {
    this.random = requireNonNull(random, "random is null");
  }

  KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  /** A self-signed CA certificate. */
  X509Certificate selfSignedCa(KeyPair keys, String commonName, Duration validity) {
    X500Name subject = name(commonName, List.of());
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create CA certificate", e);
    }
  }

  /** A TLS server certificate for the given DNS names and IP addresses, signed by the CA. */
  X509Certificate serverCertificate(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey, String commonName,
      List<String> dnsNames, List<InetAddress> addresses, Duration validity) {
    List<GeneralName> names = new ArrayList<>();
    for (String dnsName : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dnsName));
    }
    for (InetAddress address : addresses) {
      // the raw address bytes: getHostAddress() of a scoped IPv6 address ends in "%eth0", which is no SAN
      names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
    }
    return leaf(ca, caKey, subjectKey, name(commonName, List.of()), KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(GeneralName[]::new)), validity);
  }

  /** A TLS client certificate: CN is the user name, O entries are the groups (as Kubernetes' x509 authenticator). */
  X509Certificate clientCertificate(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey, String user,
      List<String> groups, Duration validity) {
    return leaf(ca, caKey, subjectKey, name(user, groups), KeyPurposeId.id_kp_clientAuth, null, validity);
  }

  /**
   * A certificate for a signing request (the CSR signing controller's signer): the request's subject, key and
   * alternative names, the key usages and extended key usages named (as certificates.k8s.io spells them), valid from
   * {@code notBefore} to {@code notAfter}, at most until the CA expires.
   */
  X509Certificate fromRequest(X509Certificate ca, PrivateKey caKey, CertificateRequest request, List<String> usages,
      Instant notBefore, Instant notAfter) {
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    int keyUsage = 0;
    List<KeyPurposeId> purposes = new ArrayList<>();
    for (String usage : usages) {
      keyUsage |= KEY_USAGES.getOrDefault(usage, 0);
      KeyPurposeId purpose = EXTENDED_KEY_USAGES.get(usage);
      if (purpose != null && !purposes.contains(purpose)) {
        purposes.add(purpose);
      }
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
          Date.from(notAfter), request.subject(), request.publicKey());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (keyUsage != 0) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (!purposes.isEmpty()) {
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
      }
      builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
      if (request.hasSubjectAlternativeNames()) {
        builder.addExtension(Extension.subjectAlternativeName, false, request.subjectAlternativeNames());
      }
      return sign(builder, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create certificate", e);
    }
  }

  private X509Certificate leaf(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey, X500Name subject,
      KeyPurposeId purpose, GeneralNames alternativeNames, Duration validity) {
    Instant now = Instant.now();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      if (alternativeNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
      }
      return sign(builder, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create certificate", e);
    }
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
    try {
      ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer);
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    for (String organization : organizations) {
      builder.addRDN(BCStyle.O, organization);
    }
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  /** A positive serial of at most 127 bits: RFC 5280 allows 20 octets and Go rejects negative serials. */
  private BigInteger serial() {
    return new BigInteger(127, random).setBit(120);
  }
}

package io.minicluster.pki;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A PKCS#10 certificate signing request read from PEM as Kubernetes reads {@code spec.request}
 * (certificates.ParseCSR and CheckSignature): the first PEM block must be a CERTIFICATE REQUEST whose signature
 * verifies; the messages of the errors are Go's.
 *
 * @param subject the requested subject
 * @param commonName the subject's CN ("" without one)
 * @param organizations the subject's O values, in order
 * @param subjectAlternativeNames the general names the request asks for, or null (none for a client certificate)
 * @param publicKey the key to certify
 */
public record CertificateRequest(X500Name subject, String commonName, List<String> organizations,
    GeneralNames subjectAlternativeNames, PublicKey publicKey) {
  static final String BLOCK_TYPE = "CERTIFICATE REQUEST";

  public CertificateRequest {
    requireNonNull(subject, "subject is null");
    requireNonNull(commonName, "commonName is null");
    organizations = List.copyOf(organizations);
    requireNonNull(publicKey, "publicKey is null");
  }

  /**
   * Parses and checks a PEM request.
   *
   * @throws IllegalArgumentException with Go's message when the first PEM block is no CERTIFICATE REQUEST, the
   *     request does not parse, or its signature does not verify
   */
  public static CertificateRequest parse(byte[] pem) {
    requireNonNull(pem, "pem is null");
    byte[] der = firstBlock(new String(pem, StandardCharsets.ISO_8859_1));
    JcaPKCS10CertificationRequest request;
    PublicKey key;
    try {
      request = new JcaPKCS10CertificationRequest(der);
      key = request.getPublicKey();
    } catch (Exception e) {
      throw new IllegalArgumentException("x509: malformed certificate request", e);
    }
    try {
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("x509: " + algorithmName(key) + " verification failure");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("x509: cannot verify signature: " + e.getMessage(), e);
    }
    X500Name subject = request.getSubject();
    GeneralNames names = null;
    var attributes = request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
    if (attributes.length > 0 && attributes[0].getAttrValues().size() > 0) {
      Extensions extensions = Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
      names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
    }
    return new CertificateRequest(subject, first(subject, BCStyle.CN), values(subject, BCStyle.O), names, key);
  }

  /** Whether the request asks for any DNS name, IP address, email address or URI. */
  public boolean hasSubjectAlternativeNames() {
    return subjectAlternativeNames != null && subjectAlternativeNames.getNames().length > 0;
  }

  private static String algorithmName(PublicKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "ECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> key.getAlgorithm();
    };
  }

  /** The DER of the first PEM block (pem.Decode), which must be a CERTIFICATE REQUEST (certificates.ParseCSR). */
  private static byte[] firstBlock(String text) {
    int begin = text.indexOf("-----BEGIN ");
    int typeEnd = begin < 0 ? -1 : text.indexOf("-----", begin + 11);
    if (typeEnd < 0) {
      throw new IllegalArgumentException("PEM block type must be " + BLOCK_TYPE);
    }
    String type = text.substring(begin + 11, typeEnd);
    String end = "-----END " + type + "-----";
    int endAt = text.indexOf(end, typeEnd + 5);
    if (endAt < 0 || !type.equals(BLOCK_TYPE)) {
      throw new IllegalArgumentException("PEM block type must be " + BLOCK_TYPE);
    }
    StringBuilder base64 = new StringBuilder();
    for (String line : text.substring(typeEnd + 5, endAt).split("\n")) {
      if (!line.contains(":")) {
        base64.append(line.strip());
      }
    }
    try {
      return Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM block type must be " + BLOCK_TYPE, e);
    }
  }

  private static String first(X500Name name, ASN1ObjectIdentifier type) {
    List<String> values = values(name, type);
    return values.isEmpty() ? "" : values.get(0);
  }

  private static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
    List<String> values = new ArrayList<>();
    for (RDN rdn : name.getRDNs(type)) {
      ASN1Encodable value = rdn.getFirst().getValue();
      values.add(value instanceof ASN1String string ? string.getString() : value.toString());
    }
    return values;
  }
}

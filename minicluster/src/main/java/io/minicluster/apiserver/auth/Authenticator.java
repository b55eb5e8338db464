package io.minicluster.apiserver.auth;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates API requests as the apiserver's union authenticator does: first a client certificate issued by our
 * CA (user = subject CN, groups = subject O values), then an {@code Authorization: Bearer <token>} header checked
 * by each {@link TokenAuthenticator} in order. Every authenticated user also gets the group
 * {@value UserInfo#AUTHENTICATED_GROUP}.
 *
 * <p>TLS already verified the client chain against the CA; the leaf is verified again here (signature by the CA and
 * validity period, cached per certificate) so that a misconfigured TLS trust store cannot let foreign certificates
 * in. An empty result means 401 Unauthorized, except on {@link #isPublicPath public paths}.
 */
public final class Authenticator {
  private static final int VERIFIED_CACHE_LIMIT = 1024;
  private static final List<String> PUBLIC_PATHS = List.of("/healthz", "/livez", "/readyz", "/version");

  private final X509Certificate clientCa;
  private final List<TokenAuthenticator> tokenAuthenticators;
  private final ConcurrentHashMap<X509Certificate, Boolean> verified = new ConcurrentHashMap<>();
  /** The identity named by each verified certificate's subject (parsing the subject costs more than a lookup). */
  private final ConcurrentHashMap<X509Certificate, Optional<UserInfo>> identities = new ConcurrentHashMap<>();

  /**
   * @param clientCa the CA client certificates must be signed by, or null to accept no client certificates
   * @param tokenAuthenticators consulted in order for bearer tokens
   */
  public Authenticator(X509Certificate clientCa, List<TokenAuthenticator> tokenAuthenticators) {
    this.clientCa = clientCa;
    this.tokenAuthenticators = List.copyOf(requireNonNull(tokenAuthenticators, "tokenAuthenticators is null"));
  }

  /**
   * The user of a request.
   *
   * @param authorization the Authorization header, or null
   * @param peerCertificates the TLS peer chain, leaf first (empty when the client sent none)
   */
  public Optional<UserInfo> authenticate(String authorization, List<X509Certificate> peerCertificates) {
    requireNonNull(peerCertificates, "peerCertificates is null");
    if (!peerCertificates.isEmpty()) {
      Optional<UserInfo> user = fromCertificate(peerCertificates.get(0));
      if (user.isPresent()) {
        return user;
      }
    }
    String token = bearerToken(authorization);
    if (token != null) {
      for (TokenAuthenticator tokenAuthenticator : tokenAuthenticators) {
        Optional<UserInfo> user = tokenAuthenticator.authenticate(token);
        if (user.isPresent()) {
          return Optional.of(user.get().withAuthenticatedGroup());
        }
      }
    }
    return Optional.empty();
  }

  /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), or null. */
  static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String trimmed = authorization.trim();
    int space = trimmed.indexOf(' ');
    if (space <= 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return null;
    }
    String token = trimmed.substring(space + 1).trim();
    // a token is one word; "Bearer a b" is not a token (as the apiserver's bearertoken authenticator)
    return token.isEmpty() || token.indexOf(' ') >= 0 ? null : token;
  }

  private Optional<UserInfo> fromCertificate(X509Certificate certificate) {
    if (clientCa == null || !verifiedByCa(certificate)) {
      return Optional.empty();
    }
    Optional<UserInfo> known = identities.get(certificate);
    if (known != null) {
      return known;
    }
    Optional<UserInfo> identity = identity(certificate);
    if (identities.size() >= VERIFIED_CACHE_LIMIT) {
      identities.clear();
    }
    identities.put(certificate, identity);
    return identity;
  }

  private static Optional<UserInfo> identity(X509Certificate certificate) {
    String commonName = null;
    List<String> groups = new ArrayList<>();
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          commonName = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    if (commonName == null || commonName.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new UserInfo(commonName, groups).withAuthenticatedGroup());
  }

  private boolean verifiedByCa(X509Certificate certificate) {
    try {
      certificate.checkValidity();
    } catch (GeneralSecurityException e) {
      verified.remove(certificate);
      identities.remove(certificate);
      return false;
    }
    Boolean known = verified.get(certificate);
    if (known != null) {
      return known;
    }
    boolean ok;
    try {
      certificate.verify(clientCa.getPublicKey());
      ok = true;
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (verified.size() >= VERIFIED_CACHE_LIMIT) {
      verified.clear();
    }
    verified.put(certificate, ok);
    return ok;
  }

  /** The peer certificates of a TLS session, leaf first; empty when the client presented none. */
  public static List<X509Certificate> peerCertificates(SSLSession session) {
    if (session == null) {
      return List.of();
    }
    try {
      List<X509Certificate> result = new ArrayList<>();
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          result.add(x509);
        }
      }
      return List.copyOf(result);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /**
   * Whether a path is served without credentials (the apiserver's system:public-info-viewer paths): /healthz,
   * /livez, /readyz, /version and their subpaths such as /readyz/ping. A query string is ignored; paths with dot segments or
   * percent-escapes are never public.
   */
  public static boolean isPublicPath(String path) {
    if (path == null) {
      return false;
    }
    int query = path.indexOf('?');
    String plain = query >= 0 ? path.substring(0, query) : path;
    for (String segment : plain.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.contains("%")) {
        return false; // never let /healthz/../api/... or encoded tricks pass as public
      }
    }
    for (String publicPath : PUBLIC_PATHS) {
      if (plain.equals(publicPath) || plain.startsWith(publicPath + "/")) {
        return true;
      }
    }
    return false;
  }
}

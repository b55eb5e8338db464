package io.minicluster.apiserver;

import io.minicluster.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;

/** Authenticates API requests; returns the user, or empty for anonymous. */
public interface RequestAuthenticator {
  Optional<UserInfo> authenticate(HttpHeaders headers, List<Certificate> peerCertificates);
}

package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The apiserver's impersonation filter: {@code Impersonate-User}, {@code Impersonate-Group}, {@code Impersonate-Uid}
 * and {@code Impersonate-Extra-*} headers make the request act as another user, each one allowed only when the
 * requester may {@code impersonate} it (users, groups, serviceaccounts; uids and userextras in authentication.k8s.io).
 * An impersonated service account gets its groups when none are given; every impersonated user but system:anonymous
 * is in system:authenticated. The uid and the extra values (keys lowercased, then percent-decoded) are the acting
 * user's.
 */
public final class Impersonation {
  static final String USER = "Impersonate-User";
  static final String GROUP = "Impersonate-Group";
  static final String UID = "Impersonate-Uid";
  static final String EXTRA_PREFIX = "impersonate-extra-";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
  private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";

  private final RbacAuthorizer authorizer;

  public Impersonation(RbacAuthorizer authorizer) {
    this.authorizer = requireNonNull(authorizer, "authorizer is null");
  }

  /** The user the request acts as: {@code requester} when it impersonates no one. */
  public UserInfo actingAs(UserInfo requester, HttpHeaders headers) {
    String user = headers.get(USER);
    List<String> groups = headers.getAll(GROUP);
    String uid = headers.get(UID);
    List<Map.Entry<String, String>> extras = new ArrayList<>();
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().toLowerCase(Locale.ROOT).startsWith(EXTRA_PREFIX)) {
        extras.add(header);
      }
    }
    if (user == null) {
      if (!groups.isEmpty() || uid != null || !extras.isEmpty()) {
        throw ApiException.internal("requested impersonation of groups, uid or extra without impersonating a user");
      }
      return requester;
    }
    List<String> actingGroups = new ArrayList<>(groups);
    if (user.startsWith(SERVICE_ACCOUNT_PREFIX) && user.substring(SERVICE_ACCOUNT_PREFIX.length()).contains(":")) {
      String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
      check(Attributes.resource(requester, "impersonate", "", "serviceaccounts", "", parts[0], parts[1]));
      if (groups.isEmpty()) {
        actingGroups.add("system:serviceaccounts");
        actingGroups.add("system:serviceaccounts:" + parts[0]);
      }
    } else {
      check(Attributes.resource(requester, "impersonate", "", "users", "", "", user));
    }
    for (String group : groups) {
      check(Attributes.resource(requester, "impersonate", "", "groups", "", "", group));
    }
    if (uid != null) {
      check(Attributes.resource(requester, "impersonate", AUTHENTICATION_GROUP, "uids", "", "", uid));
    }
    Map<String, List<String>> actingExtra = new LinkedHashMap<>();
    for (Map.Entry<String, String> extra : extras) {
      String key = unescape(extra.getKey().substring(EXTRA_PREFIX.length()).toLowerCase(Locale.ROOT));
      check(Attributes.resource(requester, "impersonate", AUTHENTICATION_GROUP, "userextras", key, "",
          extra.getValue()));
      actingExtra.computeIfAbsent(key, k -> new ArrayList<>()).add(extra.getValue());
    }
    String actingUid = uid == null ? "" : uid;
    UserInfo acting = new UserInfo(user, actingGroups, actingUid, actingExtra);
    if (user.equals(UserInfo.ANONYMOUS.name())) {
      return acting.inGroup(UserInfo.UNAUTHENTICATED_GROUP) ? acting
          : new UserInfo(user, concat(actingGroups, UserInfo.UNAUTHENTICATED_GROUP), actingUid, actingExtra);
    }
    return acting.withAuthenticatedGroup();
  }

  private void check(Attributes attributes) {
    RbacAuthorizer.Decision decision = authorizer.authorize(attributes);
    if (!decision.allowed()) {
      throw Forbidden.of(attributes, decision.reason());
    }
  }

  /** The key percent-decoded as a URL path ("+" stays), or as given when it is no valid escape (as upstream). */
  private static String unescape(String key) {
    try {
      return URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException invalid) {
      return key;
    }
  }

  private static List<String> concat(List<String> list, String value) {
    List<String> all = new ArrayList<>(list);
    all.add(value);
    return all;
  }
}

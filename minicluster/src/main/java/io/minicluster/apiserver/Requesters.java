package io.minicluster.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Map;

/**
 * The requester's identity that some kinds record at create from the request's user, as their strategies' {@code
 * PrepareForCreate} read it from the request context: a CertificateSigningRequest's spec.username, uid, groups and
 * extra (whatever the client sent is replaced; unset without a user).
 */
final class Requesters {
  private Requesters() {}

  /** Records the user in a new object of a kind that keeps its requester; other kinds are left alone. */
  static void stamp(ResourceType type, ObjectNode object, UserInfo user) {
    if (!type.equals(ResourceTypes.CERTIFICATE_SIGNING_REQUESTS)) {
      return;
    }
    ObjectNode spec = Json.with(object, "spec");
    spec.remove(List.of("username", "uid", "groups", "extra"));
    if (user == null) {
      return;
    }
    if (!user.name().isEmpty()) {
      spec.put("username", user.name());
    }
    if (!user.uid().isEmpty()) {
      spec.put("uid", user.uid());
    }
    if (!user.groups().isEmpty()) {
      ArrayNode groups = spec.putArray("groups");
      user.groups().forEach(groups::add);
    }
    if (!user.extra().isEmpty()) {
      ObjectNode extra = spec.putObject("extra");
      for (Map.Entry<String, List<String>> entry : user.extra().entrySet()) {
        ArrayNode values = extra.putArray(entry.getKey());
        entry.getValue().forEach(values::add);
      }
    }
  }
}

package io.minicluster.apiserver.authz;

import io.minicluster.apiserver.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attributes of an HTTP request, as the apiserver's RequestInfoFactory derives them: paths below /api/v1 and
 * /apis/{group}/{version} with at least a resource are resource requests (verb from the method: GET is get, list or
 * watch, DELETE of a collection deletecollection; /proxy/ and /watch/ prefixes give their verb; a list or watch with
 * the field selector metadata.name=x names x); every other path is a non-resource request with the lowercase method
 * as its verb.
 */
public final class RequestInfo {
  private RequestInfo() {}

  public static Attributes of(UserInfo user, String method, String path, Map<String, List<String>> query) {
    String lowerMethod = method.toLowerCase(Locale.ROOT);
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return Attributes.nonResource(user, lowerMethod, path);
    }
    boolean grouped = parts.get(0).equals("apis");
    List<String> rest = parts.subList(1, parts.size());
    String group = "";
    if (grouped) {
      if (rest.size() < 3) {
        return Attributes.nonResource(user, lowerMethod, path);
      }
      group = rest.get(0);
      rest = rest.subList(1, rest.size());
    }
    String version = rest.get(0);
    rest = rest.subList(1, rest.size());
    String verb = null;
    if (!rest.isEmpty() && (rest.get(0).equals("proxy") || rest.get(0).equals("watch"))) {
      verb = rest.get(0);
      rest = rest.subList(1, rest.size());
    } else {
      verb = switch (lowerMethod) {
        case "post" -> "create";
        case "get", "head" -> "get";
        case "put" -> "update";
        case "patch" -> "patch";
        case "delete" -> "delete";
        default -> "";
      };
    }
    String namespace = "";
    if (!rest.isEmpty() && rest.get(0).equals("namespaces")) {
      if (rest.size() > 1) {
        namespace = rest.get(1);
        if (rest.size() > 2 && !rest.get(2).equals("status") && !rest.get(2).equals("finalize")) {
          rest = rest.subList(2, rest.size());
        }
      }
    }
    String resource = rest.isEmpty() ? "" : rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String subresource = rest.size() > 2 ? rest.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb = flag(query.get("watch")) ? "watch" : "list";
    }
    if (verb.equals("list") || verb.equals("watch")) {
      name = nameFromFieldSelector(query.get("fieldSelector"));
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new Attributes(user, verb, true, group, version, resource, subresource, namespace, name, path);
  }

  private static boolean flag(List<String> values) {
    if (values == null || values.isEmpty()) {
      return false;
    }
    String value = values.get(0);
    return !(value.equals("0") || value.equalsIgnoreCase("false"));
  }

  /** The name of a field selector that is exactly metadata.name=x (or ==x), else "". */
  private static String nameFromFieldSelector(List<String> values) {
    if (values == null || values.isEmpty()) {
      return "";
    }
    String selector = values.get(0).trim();
    if (selector.contains(",")) {
      return "";
    }
    for (String operator : new String[] {"==", "="}) {
      String prefix = "metadata.name" + operator;
      if (selector.startsWith(prefix)) {
        return selector.substring(prefix.length());
      }
    }
    return "";
  }
}

package io.minicluster.api.validation;

import java.util.List;

/**
 * A metadata.name rule (apimachinery's ValidateNameFunc): the messages for a name, or for a generateName prefix when
 * {@code prefix} is true (a trailing '-' of a prefix is then accepted).
 */
@FunctionalInterface
public interface NameValidator {

  List<String> validate(String name, boolean prefix);

  /** NameIsDNSSubdomain: pods, configmaps, secrets, deployments, nodes, and most kinds. */
  NameValidator DNS1123_SUBDOMAIN = (name, prefix) -> Formats.dns1123Subdomain(prefix ? maskTrailingDash(name) : name);
  /** NameIsDNSLabel: namespaces. */
  NameValidator DNS1123_LABEL = (name, prefix) -> Formats.dns1123Label(prefix ? maskTrailingDash(name) : name);
  /** NameIsDNS1035Label: services. */
  NameValidator DNS1035_LABEL = (name, prefix) -> Formats.dns1035Label(prefix ? maskTrailingDash(name) : name);
  /** ValidatePathSegmentName: kinds whose names only need to be one URL path segment. */
  NameValidator PATH_SEGMENT = Formats::pathSegmentName;

  /** Replaces a trailing '-' by 'a' so that a generateName prefix can be checked with a name rule. */
  static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) {
      return name.substring(0, name.length() - 1) + "a";
    }
    return name;
  }
}

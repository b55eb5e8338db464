package io.minicluster.apiserver.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether one set of rules grants everything another does, as pkg/registry/rbac/validation's Covers: the covered
 * rules are broken down into rules of one verb, one API group, one resource (and one name) or one path, each of
 * which some owner rule must cover. Used by escalation prevention and the reconciliation of bootstrap roles.
 */
public final class Coverage {
  private static final String ALL = "*";

  private Coverage() {}

  /** The broken-down rules of {@code servant} that no rule of {@code owner} covers (empty: owner covers servant). */
  public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule rule : servant) {
      for (PolicyRule atom : breakdown(rule)) {
        if (owner.stream().noneMatch(o -> covers(o, atom))) {
          missing.add(atom);
        }
      }
    }
    return missing;
  }

  /** BreakdownRule: one rule per verb × group × resource × name, or per verb × path. */
  static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> atoms = new ArrayList<>();
    for (String verb : rule.verbs()) {
      for (String group : rule.apiGroups()) {
        for (String resource : rule.resources()) {
          if (rule.resourceNames().isEmpty()) {
            atoms.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
          }
          for (String name : rule.resourceNames()) {
            atoms.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
          }
        }
      }
      for (String url : rule.nonResourceURLs()) {
        atoms.add(new PolicyRule(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
      }
    }
    return atoms;
  }

  /** ruleCovers: whether {@code owner} grants all of {@code sub}. */
  static boolean covers(PolicyRule owner, PolicyRule sub) {
    return coversAll(owner.verbs(), sub.verbs()) && coversAll(owner.apiGroups(), sub.apiGroups())
        && sub.resources().stream().allMatch(r -> resourceCovered(owner.resources(), r))
        && (owner.resourceNames().isEmpty() || owner.resourceNames().containsAll(sub.resourceNames())
            && !sub.resourceNames().isEmpty())
        && sub.nonResourceURLs().stream().allMatch(u -> urlCovered(owner.nonResourceURLs(), u));
  }

  private static boolean coversAll(List<String> owner, List<String> sub) {
    return owner.contains(ALL) || owner.containsAll(sub);
  }

  private static boolean resourceCovered(List<String> owner, String resource) {
    if (owner.contains(ALL) || owner.contains(resource)) {
      return true;
    }
    int slash = resource.indexOf('/');
    return slash >= 0 && owner.contains("*" + resource.substring(slash));
  }

  private static boolean urlCovered(List<String> owner, String url) {
    for (String path : owner) {
      if (path.equals(ALL) || path.equals(url)
          || path.endsWith(ALL) && url.startsWith(path.substring(0, path.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}

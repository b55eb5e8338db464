package io.minicluster.apiserver.authz;

import static java.util.Objects.requireNonNull;

import io.minicluster.apiserver.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RBAC authorizer as plugin/pkg/auth/authorizer/rbac, behind the apiserver's privileged-group authorizer: members
 * of {@value #MASTERS} may do everything; anyone else what the ClusterRoleBindings, and in the request's namespace the
 * RoleBindings, grant through their roles' rules. A binding to a missing role grants nothing and is named in the
 * reason of a denial ("RBAC: clusterrole.rbac.authorization.k8s.io "x" not found").
 */
public final class RbacAuthorizer {
  /** The group the apiserver never denies (the admin credential is in it). */
  public static final String MASTERS = "system:masters";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
  private static final PolicyRule ALL_RESOURCES =
      new PolicyRule(List.of("*"), List.of("*"), List.of("*"), List.of(), List.of());
  private static final PolicyRule ALL_URLS = new PolicyRule(List.of("*"), List.of(), List.of(), List.of(), List.of("*"));

  private final RbacPolicy policy;

  public RbacAuthorizer(RbacPolicy policy) {
    this.policy = requireNonNull(policy, "policy is null");
  }

  /** An answer: allowed or not, and why (the reason may be ""). */
  public record Decision(boolean allowed, String reason) {
    public Decision {
      requireNonNull(reason, "reason is null");
    }
  }

  /** The rules that apply to a user in a namespace ("" for the cluster scope), and the errors met finding them. */
  public record Rules(List<PolicyRule> rules, List<String> errors) {
    public Rules {
      rules = List.copyOf(rules);
      errors = List.copyOf(errors);
    }
  }

  public Decision authorize(Attributes request) {
    requireNonNull(request, "request is null");
    if (request.user().inGroup(MASTERS)) {
      return new Decision(true, "");
    }
    List<String> errors = new ArrayList<>();
    String[] allowedBy = new String[1];
    visit(request.user(), request.namespace(), errors, (source, rules) -> {
      for (PolicyRule rule : rules) {
        if (rule.allows(request)) {
          allowedBy[0] = source;
          return true;
        }
      }
      return false;
    });
    if (allowedBy[0] != null) {
      return new Decision(true, "RBAC: allowed by " + allowedBy[0]);
    }
    return new Decision(false, errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
  }

  /** What SelfSubjectRulesReview lists: every rule bound to the user in the namespace. */
  public Rules rulesFor(UserInfo user, String namespace) {
    requireNonNull(user, "user is null");
    if (user.inGroup(MASTERS)) {
      return new Rules(List.of(ALL_RESOURCES, ALL_URLS), List.of());
    }
    List<PolicyRule> all = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    visit(user, namespace == null ? "" : namespace, errors, (source, rules) -> {
      all.addAll(rules);
      return false;
    });
    return new Rules(all, errors);
  }

  /** The rules of the role a binding refers to (kind Role or ClusterRole), or empty when it does not exist. */
  public Optional<List<PolicyRule>> roleRules(String kind, String namespace, String name) {
    return kind.equals("ClusterRole") ? policy.clusterRole(name) : policy.role(namespace, name);
  }

  /** utilerrors.NewAggregate(errs).Error(): one message alone, several as "[a, b]". */
  static String aggregate(List<String> errors) {
    return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
  }

  private interface Visitor {
    /** Sees the rules of one binding that applies; true to stop. */
    boolean visit(String source, List<PolicyRule> rules);
  }

  /** VisitRulesFor: cluster role bindings first, then the role bindings of the namespace. */
  private void visit(UserInfo user, String namespace, List<String> errors, Visitor visitor) {
    for (RbacPolicy.Binding binding : policy.clusterRoleBindings()) {
      Optional<RbacPolicy.Subject> subject = appliesTo(user, binding.subjects(), "");
      if (subject.isEmpty()) {
        continue;
      }
      Optional<List<PolicyRule>> rules = policy.clusterRole(binding.roleName());
      if (rules.isEmpty()) {
        errors.add(notFound("clusterrole", binding.roleName()));
        continue;
      }
      String source = "ClusterRoleBinding \"" + binding.name() + "\" of ClusterRole \"" + binding.roleName()
          + "\" to " + describe(subject.get(), "");
      if (visitor.visit(source, rules.get())) {
        return;
      }
    }
    if (namespace.isEmpty()) {
      return;
    }
    for (RbacPolicy.Binding binding : policy.roleBindings(namespace)) {
      Optional<RbacPolicy.Subject> subject = appliesTo(user, binding.subjects(), namespace);
      if (subject.isEmpty()) {
        continue;
      }
      boolean clusterRole = binding.roleKind().equals("ClusterRole");
      Optional<List<PolicyRule>> rules = clusterRole ? policy.clusterRole(binding.roleName())
          : policy.role(namespace, binding.roleName());
      if (rules.isEmpty()) {
        errors.add(notFound(clusterRole ? "clusterrole" : "role", binding.roleName()));
        continue;
      }
      String source = "RoleBinding \"" + binding.name() + "/" + namespace + "\" of " + binding.roleKind() + " \""
          + binding.roleName() + "\" to " + describe(subject.get(), namespace);
      if (visitor.visit(source, rules.get())) {
        return;
      }
    }
  }

  private static String notFound(String resource, String name) {
    return resource + ".rbac.authorization.k8s.io \"" + name + "\" not found";
  }

  /** describeSubject: a service account as name/namespace (the binding's namespace when the subject has none). */
  private static String describe(RbacPolicy.Subject subject, String bindingNamespace) {
    String name = !subject.kind().equals("ServiceAccount") ? subject.name()
        : subject.name() + "/" + (subject.namespace().isEmpty() ? bindingNamespace : subject.namespace());
    return subject.kind() + " \"" + name + "\"";
  }

  /** The first subject naming the user (appliesToUser), service accounts in the binding's namespace by default. */
  static Optional<RbacPolicy.Subject> appliesTo(UserInfo user, List<RbacPolicy.Subject> subjects, String namespace) {
    for (RbacPolicy.Subject subject : subjects) {
      boolean applies = switch (subject.kind()) {
        case "User" -> user.name().equals(subject.name());
        case "Group" -> user.inGroup(subject.name());
        case "ServiceAccount" -> {
          String saNamespace = subject.namespace().isEmpty() ? namespace : subject.namespace();
          yield !saNamespace.isEmpty()
              && user.name().equals(SERVICE_ACCOUNT_PREFIX + saNamespace + ":" + subject.name());
        }
        default -> false;
      };
      if (applies) {
        return Optional.of(subject);
      }
    }
    return Optional.empty();
  }
}

package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolv.conf, formed as the kubelet forms it ({@code GetPodDNS} in pkg/kubelet/network/dns/dns.go):
 * <ul>
 *   <li>ClusterFirst (not on the host network) and ClusterFirstWithHostNet: the cluster DNS as the only nameserver,
 *       the search path {@code <ns>.svc.<zone> svc.<zone> <zone>} then the host's, {@code options ndots:5}; without a
 *       cluster DNS address, Default instead (with a MissingClusterDNS warning);</li>
 *   <li>Default, and ClusterFirst on the host network: the host's resolv.conf (without one: 127.0.0.1 and search
 *       ".");</li>
 *   <li>None: nothing but the pod's dnsConfig.</li>
 * </ul>
 * Then the pod's {@code dnsConfig} is appended: nameservers and searches without duplicates, options merged by name
 * (the pod's value wins; the kubelet's order, a Go map's, is unspecified: here first-seen order). Finally the limits:
 * at most 3 nameservers, 32 search domains, none longer than 253 characters, 2048 characters in all, each cut reported
 * as a DNSConfigForming warning.
 */
public record PodResolvConf(List<String> nameservers, List<String> searches, List<String> options,
    List<Warning> warnings) {
  static final int MAX_NAMESERVERS = 3;
  static final int MAX_SEARCH_PATHS = 32;
  static final int MAX_SEARCH_LIST_CHARS = 2048;
  static final int MAX_SEARCH_DOMAIN_LENGTH = 253;
  private static final List<String> CLUSTER_OPTIONS = List.of("ndots:5");

  public PodResolvConf {
    nameservers = List.copyOf(nameservers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
    warnings = List.copyOf(warnings);
  }

  /** An event the kubelet would record: reason and message. */
  public record Warning(String reason, String message) {
    public Warning {
      requireNonNull(reason, "reason is null");
      requireNonNull(message, "message is null");
    }
  }

  /** An option of the pod's dnsConfig; {@code value} null for an option without one. */
  public record Option(String name, String value) {
    public Option {
      requireNonNull(name, "name is null");
    }
  }

  /** The pod's {@code spec.dnsConfig}. */
  public record PodDnsConfig(List<String> nameservers, List<String> searches, List<Option> options) {
    public PodDnsConfig {
      nameservers = List.copyOf(nameservers);
      searches = List.copyOf(searches);
      options = List.copyOf(options);
    }
  }

  /**
   * The resolv.conf of a pod.
   *
   * @param policy the pod's dnsPolicy (ClusterFirst when it has none)
   * @param hostNetwork {@code spec.hostNetwork}
   * @param namespace the pod's namespace
   * @param clusterDns the cluster DNS addresses (empty: none configured)
   * @param clusterDomain the cluster domain (empty: no cluster search path)
   * @param host the node's resolver configuration ({@link ResolvConf#host}), null if there is none
   * @param dnsConfig the pod's {@code spec.dnsConfig}, null if it has none
   */
  public static PodResolvConf build(DnsPolicy policy, boolean hostNetwork, String namespace, List<String> clusterDns,
      String clusterDomain, ResolvConf host, PodDnsConfig dnsConfig) {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(clusterDomain, "clusterDomain is null");
    DnsPolicy effective = policy == null ? DnsPolicy.CLUSTER_FIRST : policy;
    List<Warning> warnings = new ArrayList<>();
    ResolvConf hostConf = host == null ? new ResolvConf(List.of(), List.of(), List.of()) : host;
    List<String> servers = new ArrayList<>(hostConf.nameservers());
    List<String> searches = new ArrayList<>(hostConf.searches());
    List<String> options = new ArrayList<>(hostConf.options());
    boolean cluster = effective == DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET
        || effective == DnsPolicy.CLUSTER_FIRST && !hostNetwork;
    if (effective == DnsPolicy.NONE) {
      servers.clear();
      searches.clear();
      options.clear();
    } else if (cluster && !clusterDns.isEmpty()) {
      servers = new ArrayList<>(clusterDns);
      if (!clusterDomain.isEmpty()) {
        List<String> clusterSearch = new ArrayList<>(List.of(namespace + ".svc." + clusterDomain,
            "svc." + clusterDomain, clusterDomain));
        clusterSearch.addAll(searches);
        searches = withoutDuplicates(clusterSearch);
      }
      options = new ArrayList<>(CLUSTER_OPTIONS);
    } else {
      if (cluster) {
        warnings.add(new Warning("MissingClusterDNS", "kubelet does not have ClusterDNS IP configured and cannot "
            + "create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy."));
      }
      if (host == null) {
        servers = new ArrayList<>(List.of("127.0.0.1"));
        searches = new ArrayList<>(List.of("."));
      }
    }
    if (dnsConfig != null) {
      servers.addAll(dnsConfig.nameservers());
      servers = withoutDuplicates(servers);
      searches.addAll(dnsConfig.searches());
      searches = withoutDuplicates(searches);
      options = mergeOptions(options, dnsConfig.options());
    }
    if (servers.size() > MAX_NAMESERVERS) {
      servers = new ArrayList<>(servers.subList(0, MAX_NAMESERVERS));
      warnings.add(new Warning("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been "
          + "omitted, the applied nameserver line is: " + String.join(" ", servers)));
    }
    searches = fitSearches(searches, warnings);
    return new PodResolvConf(servers, searches, options, warnings);
  }

  private static List<String> fitSearches(List<String> searches, List<Warning> warnings) {
    boolean exceeded = false;
    List<String> fitted = new ArrayList<>(searches);
    if (fitted.size() > MAX_SEARCH_PATHS) {
      fitted = new ArrayList<>(fitted.subList(0, MAX_SEARCH_PATHS));
      exceeded = true;
    }
    if (fitted.removeIf(search -> search.length() > MAX_SEARCH_DOMAIN_LENGTH)) {
      exceeded = true;
    }
    int length = String.join(" ", fitted).length();
    if (length > MAX_SEARCH_LIST_CHARS) {
      int cut = 0;
      int cutLength = 0;
      for (int i = fitted.size() - 1; i >= 0; i--) {
        cutLength += fitted.get(i).length() + 1;
        cut++;
        if (length - cutLength <= MAX_SEARCH_LIST_CHARS) {
          break;
        }
      }
      fitted = new ArrayList<>(fitted.subList(0, fitted.size() - cut));
      exceeded = true;
    }
    if (exceeded) {
      warnings.add(new Warning("DNSConfigForming", "Search Line limits were exceeded, some search paths have been "
          + "omitted, the applied search line is: " + String.join(" ", fitted)));
    }
    return fitted;
  }

  private static List<String> mergeOptions(List<String> existing, List<Option> added) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String option : existing) {
      int colon = option.indexOf(':');
      if (colon >= 0) {
        merged.put(option.substring(0, colon), option.substring(colon + 1));
      } else {
        merged.put(option, "");
      }
    }
    for (Option option : added) {
      merged.put(option.name(), option.value() == null ? "" : option.value());
    }
    List<String> options = new ArrayList<>();
    merged.forEach((name, value) -> options.add(value.isEmpty() ? name : name + ":" + value));
    return options;
  }

  private static List<String> withoutDuplicates(List<String> values) {
    return new ArrayList<>(new LinkedHashSet<>(values));
  }

  /** The file's text, laid out as container runtimes write it: search, nameserver lines, options. */
  public String render() {
    StringBuilder text = new StringBuilder();
    if (!searches.isEmpty()) {
      text.append("search ").append(String.join(" ", searches)).append('\n');
    }
    for (String server : nameservers) {
      text.append("nameserver ").append(server).append('\n');
    }
    if (!options.isEmpty()) {
      text.append("options ").append(String.join(" ", options)).append('\n');
    }
    return text.toString();
  }
}

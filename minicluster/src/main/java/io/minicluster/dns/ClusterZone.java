package io.minicluster.dns;

import static java.util.Objects.requireNonNull;

import io.minicluster.dns.ClusterDirectory.EndpointAddress;
import io.minicluster.dns.ClusterDirectory.EndpointSet;
import io.minicluster.dns.ClusterDirectory.Port;
import io.minicluster.dns.ClusterDirectory.Service;
import io.minicluster.dns.ClusterDirectory.ServiceEndpoint;
import io.minicluster.dns.ClusterDirectory.ServiceKind;
import io.minicluster.dns.ResourceRecord.Rdata;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The records of the cluster zone, per the Kubernetes DNS specification (kubernetes/dns docs/specification.md) and
 * answered the way CoreDNS's kubernetes plugin answers them, NXDOMAIN versus NODATA included:
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<zone>}: A/AAAA with the cluster IPs; for a headless service every ready endpoint
 *       address; for an ExternalName service a CNAME;</li>
 *   <li>{@code <hostname>.<svc>.<ns>.svc.<zone>}: the endpoint with that hostname (or, without one, its IP with
 *       dashes);</li>
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<zone>}: SRV per named port, per endpoint for headless services, the
 *       target addresses in the additional section;</li>
 *   <li>{@code a-b-c-d.<ns>.pod.<zone>}: pod A records (AAAA for dashed IPv6);</li>
 *   <li>{@code dns-version.<zone>}: TXT with the schema version; SOA and NS at the apex;</li>
 *   <li>PTR in {@code in-addr.arpa} and {@code ip6.arpa} for cluster IPs, endpoint addresses and pod IPs.</li>
 * </ul>
 * All records carry the same TTL (5 s by default, as CoreDNS); negative answers carry the zone's SOA, whose minimum is
 * that TTL too, so resolvers cache a missing name no longer than a present one.
 */
final class ClusterZone {
  /** The schema version CoreDNS serves at {@code dns-version.<zone>}. */
  static final String SCHEMA_VERSION = "1.1.0";
  static final long SCHEMA_VERSION_TTL = 28800;
  private static final int MAX_CNAME_CHAIN = 10;

  private final String zone;
  private final long ttl;
  private final PodMode podMode;
  private final List<InetAddress> nameservers;
  private final ClusterDirectory directory;

  ClusterZone(String zone, long ttl, PodMode podMode, List<InetAddress> nameservers, ClusterDirectory directory) {
    this.zone = canonical(requireNonNull(zone, "zone is null"));
    if (this.zone.isEmpty()) {
      throw new IllegalArgumentException("the cluster domain is empty");
    }
    this.ttl = ttl;
    this.podMode = requireNonNull(podMode, "podMode is null");
    this.nameservers = List.copyOf(nameservers);
    this.directory = requireNonNull(directory, "directory is null");
  }

  String zone() {
    return zone;
  }

  /** Whether {@code name} (any case) is the zone or a name in it. */
  boolean contains(String name) {
    String canonical = canonical(name);
    return canonical.equals(zone) || canonical.endsWith("." + zone);
  }

  /** Whether {@code name} is in one of the reverse zones (in-addr.arpa, ip6.arpa). */
  static boolean isReverse(String name) {
    String canonical = canonical(name);
    return canonical.equals("in-addr.arpa") || canonical.endsWith(".in-addr.arpa")
        || canonical.equals("ip6.arpa") || canonical.endsWith(".ip6.arpa");
  }

  /** The answer to a question whose name is in the zone. */
  ZoneAnswer answer(Question question) {
    String name = question.canonicalName();
    if (!contains(name)) {
      throw new IllegalArgumentException(question.name() + " is not in " + zone);
    }
    List<ResourceRecord> records = List.of();
    List<ResourceRecord> extra = List.of();
    ZoneAnswer.Chase chase = null;
    boolean nameError;
    switch (question.type()) {
      case RecordTypes.A, RecordTypes.AAAA -> {
        Addresses addresses = addresses(question.name(), question.type(), List.of());
        nameError = addresses.nameError;
        records = addresses.records;
        chase = addresses.chase;
      }
      case RecordTypes.SRV -> {
        Lookup lookup = services(name, RecordTypes.SRV);
        nameError = lookup.nameError;
        List<ResourceRecord> srv = new ArrayList<>();
        List<ResourceRecord> additional = new ArrayList<>();
        srv(question.name(), lookup.found, srv, additional);
        records = srv;
        extra = additional;
      }
      case RecordTypes.TXT -> {
        Lookup lookup = services(name, RecordTypes.TXT);
        nameError = lookup.nameError;
        records = lookup.found.stream().filter(f -> f.text != null)
            .map(f -> new ResourceRecord(question.name(), RecordTypes.TXT, f.ttl, new Rdata.Text(f.text)))
            .toList();
      }
      case RecordTypes.CNAME -> {
        Lookup lookup = services(name, RecordTypes.CNAME);
        nameError = lookup.nameError;
        if (!lookup.found.isEmpty() && lookup.found.get(0).cname != null) {
          records = List.of(new ResourceRecord(question.name(), RecordTypes.CNAME, ttl,
              new Rdata.DomainName(lookup.found.get(0).cname)));
        }
      }
      case RecordTypes.PTR -> nameError = records(base(name)).nameError;
      case RecordTypes.SOA -> {
        nameError = false;
        if (name.equals(zone)) {
          records = List.of(soa());
        }
      }
      case RecordTypes.AXFR, RecordTypes.IXFR -> {
        return new ZoneAnswer(RecordTypes.REFUSED, List.of(), List.of(), List.of(), null);
      }
      case RecordTypes.NS -> {
        if (name.equals(zone)) {
          nameError = false;
          String ns = "ns.dns." + zone;
          if (!nameservers.isEmpty()) {
            records = List.of(new ResourceRecord(question.name(), RecordTypes.NS, ttl, new Rdata.DomainName(ns)));
            extra = nameservers.stream().map(ip -> ResourceRecord.address(ns, ttl, ip)).toList();
          }
        } else {
          nameError = addresses(question.name(), RecordTypes.A, List.of()).nameError;
        }
      }
      case RecordTypes.MX -> nameError = services(name, RecordTypes.MX).nameError;
      // any other type: the name's existence decides between NXDOMAIN and NODATA
      default -> nameError = addresses(question.name(), RecordTypes.A, List.of()).nameError;
    }
    if (nameError) {
      int rcode = directory.synced() ? RecordTypes.NXDOMAIN : RecordTypes.SERVFAIL;
      return new ZoneAnswer(rcode, List.of(), List.of(soa()), List.of(), null);
    }
    if (records.isEmpty()) {
      return new ZoneAnswer(RecordTypes.NOERROR, List.of(), List.of(soa()), List.of(), null);
    }
    return new ZoneAnswer(RecordTypes.NOERROR, records, List.of(), extra, chase);
  }

  /**
   * The PTR answer for a reverse name whose address belongs to the cluster (a service's cluster IP, else an
   * endpoint's address, else a pod's IP); empty when the address is not the cluster's, so that the question goes
   * upstream (CoreDNS's {@code fallthrough in-addr.arpa ip6.arpa}).
   */
  Optional<ZoneAnswer> reverse(Question question) {
    if (question.type() != RecordTypes.PTR) {
      return Optional.empty();
    }
    InetAddress ip = ReverseNames.address(question.canonicalName());
    if (ip == null) {
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    for (Service service : directory.servicesByClusterIp(ip)) {
      names.add(service.name() + "." + service.namespace() + ".svc." + zone);
      break;
    }
    if (names.isEmpty()) {
      for (ServiceEndpoint endpoint : directory.endpointsByIp(ip)) {
        Optional<Service> service = directory.service(endpoint.namespace(), endpoint.service());
        boolean publishNotReady = service.map(Service::publishNotReadyAddresses).orElse(false);
        if (endpoint.address().ready() || publishNotReady) {
          names.add(hostname(endpoint.address()) + "." + endpoint.service() + "." + endpoint.namespace() + ".svc."
              + zone);
        }
      }
    }
    if (names.isEmpty() && podMode != PodMode.DISABLED) {
      for (ClusterDirectory.Pod pod : directory.podsByIp(ip)) {
        names.add(dashed(ip) + "." + pod.namespace() + ".pod." + zone);
      }
    }
    if (names.isEmpty()) {
      return Optional.empty();
    }
    List<ResourceRecord> records = names.stream()
        .map(target -> new ResourceRecord(question.name(), RecordTypes.PTR, ttl, new Rdata.DomainName(target)))
        .toList();
    return Optional.of(new ZoneAnswer(RecordTypes.NOERROR, records, List.of(), List.of(), null));
  }

  /** The zone's SOA: serial from the directory's last change, minimum (negative caching) the records' TTL. */
  ResourceRecord soa() {
    long serial = directory.lastModified().getEpochSecond() & 0xFFFFFFFFL;
    return new ResourceRecord(zone, RecordTypes.SOA, Math.min(ttl, 300), new Rdata.Soa("ns.dns." + zone,
        "hostmaster." + zone, serial, 7200, 1800, 86400, ttl));
  }

  private record Addresses(boolean nameError, List<ResourceRecord> records, ZoneAnswer.Chase chase) {
  }

  /** A and AAAA, following CNAMEs inside the zone and handing the rest of a chain to the server. */
  private Addresses addresses(String qname, int type, List<ResourceRecord> previous) {
    String name = canonical(qname);
    Lookup lookup = name.equals(zone) ? Lookup.empty() : services(name, type);
    if (lookup.nameError) {
      return new Addresses(true, List.of(), null);
    }
    List<ResourceRecord> records = new ArrayList<>();
    Set<InetAddress> seen = new HashSet<>();
    ZoneAnswer.Chase chase = null;
    for (Found found : lookup.found) {
      if (found.cname != null) {
        String target = canonical(found.cname);
        if (target.equals(name) || previous.size() > MAX_CNAME_CHAIN) {
          continue;
        }
        ResourceRecord cname = new ResourceRecord(qname, RecordTypes.CNAME, found.ttl,
            new Rdata.DomainName(found.cname));
        if (previous.stream().anyMatch(r -> canonical(r.name()).equals(name)
            && r.rdata() instanceof Rdata.DomainName d && canonical(d.target()).equals(target))) {
          continue;
        }
        if (contains(target)) {
          List<ResourceRecord> chain = new ArrayList<>(previous);
          chain.add(cname);
          Addresses next = addresses(found.cname, type, chain);
          if (!next.nameError && !next.records.isEmpty()) {
            records.add(cname);
            records.addAll(next.records);
            chase = next.chase;
          }
          continue;
        }
        records.add(cname);
        chase = new ZoneAnswer.Chase(found.cname, type);
        continue;
      }
      if (found.ip == null || !seen.add(found.ip)) {
        continue;
      }
      if (type == RecordTypes.A && found.ip instanceof Inet4Address
          || type == RecordTypes.AAAA && found.ip instanceof Inet6Address) {
        records.add(ResourceRecord.address(qname, found.ttl, found.ip));
      }
    }
    return new Addresses(false, records, chase);
  }

  private void srv(String qname, List<Found> found, List<ResourceRecord> records, List<ResourceRecord> additional) {
    int weight = Math.max(1, (int) Math.floor(100.0 / found.size()));
    Set<String> seenTargets = new HashSet<>();
    Set<String> seenAddresses = new HashSet<>();
    for (Found f : found) {
      if (f.port == -1 || f.ip == null) {
        continue;
      }
      if (seenTargets.add(f.key + ":" + f.port)) {
        records.add(new ResourceRecord(qname, RecordTypes.SRV, f.ttl, new Rdata.Srv(0, weight, f.port, f.key)));
      }
      if (seenAddresses.add(f.key + "/" + f.ip.getHostAddress())) {
        additional.add(ResourceRecord.address(f.key, f.ttl, f.ip));
      }
    }
  }

  /** One thing a name stands for: an address (with port and the name it is known by), a CNAME target or a text. */
  private record Found(InetAddress ip, int port, String key, String cname, String text, long ttl) {
  }

  private record Lookup(boolean nameError, List<Found> found) {
    static Lookup empty() {
      return new Lookup(false, List.of());
    }

    static Lookup error() {
      return new Lookup(true, List.of());
    }
  }

  /** CoreDNS's {@code Services}: the special names, then the records of the name. */
  private Lookup services(String name, int type) {
    String base = base(name);
    if (type == RecordTypes.TXT) {
      if (base.equals("dns-version")) {
        return new Lookup(false, List.of(new Found(null, 0, null, null, SCHEMA_VERSION, SCHEMA_VERSION_TTL)));
      }
      // TXT exists nowhere else: NODATA where other records exist, NXDOMAIN otherwise
      return records(base).found.isEmpty() ? Lookup.error() : Lookup.empty();
    }
    if (name.equals("ns.dns." + zone)) {
      List<Found> found = new ArrayList<>();
      for (InetAddress ip : nameservers) {
        if (type == RecordTypes.A && ip instanceof Inet4Address
            || type == RecordTypes.AAAA && ip instanceof Inet6Address) {
          found.add(new Found(ip, 0, name, null, null, ttl));
        }
      }
      return new Lookup(false, found);
    }
    Lookup lookup = records(base);
    if (type == RecordTypes.SRV) {
      return new Lookup(lookup.nameError, lookup.found.stream().filter(f -> f.cname == null).toList());
    }
    return lookup;
  }

  /** The parsed labels of a name below the zone (CoreDNS's {@code recordRequest}). */
  private record Request(String port, String protocol, String endpoint, String service, String namespace,
      String podOrSvc) {
  }

  private static final Request APEX = new Request("", "", "", "", "", "");

  /** Parses the labels below the zone; null for a shape that cannot exist (NXDOMAIN). */
  private static Request parse(String base) {
    if (base.isEmpty() || base.equals("svc") || base.equals("pod")) {
      return APEX;
    }
    String[] segments = base.split("\\.", -1);
    int last = segments.length - 1;
    String podOrSvc = segments[last];
    if (!podOrSvc.equals("svc") && !podOrSvc.equals("pod")) {
      return null;
    }
    String namespace = segments[last - 1];
    String service = last >= 2 ? segments[last - 2] : "";
    return switch (last) {
      case 1, 2 -> new Request("", "", "", service, namespace, podOrSvc);
      case 3 -> new Request("", "", segments[0], service, namespace, podOrSvc);
      case 4 -> new Request(stripUnderscore(segments[0]), stripUnderscore(segments[1]), "", service, namespace,
          podOrSvc);
      default -> null;
    };
  }

  private static String stripUnderscore(String label) {
    return label.startsWith("_") ? label.substring(1) : label;
  }

  /** CoreDNS's {@code Records}: what a name in the zone stands for. */
  private Lookup records(String base) {
    Request request = parse(base);
    if (request == null) {
      return Lookup.error();
    }
    if (request.podOrSvc.isEmpty()) {
      return Lookup.empty();
    }
    if (!directory.namespaceExists(request.namespace)) {
      return Lookup.error();
    }
    return request.podOrSvc.equals("pod") ? pods(request) : services(request);
  }

  private Lookup pods(Request request) {
    if (podMode == PodMode.DISABLED) {
      return Lookup.error();
    }
    String podName = request.service;
    if (podName.isEmpty()) {
      return Lookup.empty();
    }
    boolean ipv4 = podName.chars().filter(c -> c == '-').count() == 3 && !podName.contains("--");
    String literal = ipv4 ? podName.replace('-', '.') : podName.replace('-', ':');
    if (ipv4 ? !NetUtil.isValidIpV4Address(literal) : !NetUtil.isValidIpV6Address(literal)) {
      return Lookup.error();
    }
    InetAddress ip = IpAddresses.parse(literal);
    String key = podName + "." + request.namespace + ".pod." + zone;
    if (podMode == PodMode.VERIFIED && directory.podsByIp(ip).stream()
        .noneMatch(pod -> pod.namespace().equalsIgnoreCase(request.namespace))) {
      return Lookup.error();
    }
    return new Lookup(false, List.of(new Found(ip, 0, key, null, null, ttl)));
  }

  private Lookup services(Request request) {
    if (request.service.isEmpty()) {
      return Lookup.empty();
    }
    Optional<Service> found = directory.service(request.namespace, request.service);
    if (found.isEmpty()) {
      return Lookup.error();
    }
    Service service = found.get();
    String serviceName = service.name() + "." + service.namespace() + ".svc." + zone;
    if (service.kind() == ServiceKind.EXTERNAL_NAME) {
      // no endpoints, no ports: a CNAME at the service's own name only, and only to a name (never an IP)
      if (!request.endpoint.isEmpty() || !request.port.isEmpty() || !request.protocol.isEmpty()
          || service.externalName().isEmpty() || IpAddresses.isLiteral(service.externalName())) {
        return Lookup.error();
      }
      return new Lookup(false, List.of(new Found(null, 0, serviceName, service.externalName(), null, ttl)));
    }
    List<Found> result = new ArrayList<>();
    boolean matched = false;
    if (service.kind() == ServiceKind.HEADLESS || !request.endpoint.isEmpty()) {
      for (EndpointSet set : directory.endpoints(service.namespace(), service.name())) {
        List<Port> ports = set.ports().isEmpty() ? List.of(new Port("", -1, "")) : set.ports();
        for (EndpointAddress address : set.addresses()) {
          if (!address.ready() && !service.publishNotReadyAddresses()) {
            continue;
          }
          String hostname = hostname(address);
          if (!request.endpoint.isEmpty() && !request.endpoint.equalsIgnoreCase(hostname)) {
            continue;
          }
          for (Port port : ports) {
            if (matches(request, port)) {
              matched = true;
              result.add(new Found(address.ip(), port.port(), hostname + "." + serviceName, null, null, ttl));
            }
          }
        }
      }
    } else {
      List<Port> ports = service.ports().isEmpty() ? List.of(new Port("", -1, "")) : service.ports();
      for (Port port : ports) {
        if (!matches(request, port)) {
          continue;
        }
        matched = true;
        for (InetAddress ip : service.clusterIps()) {
          result.add(new Found(ip, port.port(), serviceName, null, null, ttl));
        }
      }
    }
    return matched ? new Lookup(false, result) : Lookup.error();
  }

  private static boolean matches(Request request, Port port) {
    return (request.port.isEmpty() || request.port.equalsIgnoreCase(port.name()))
        && (request.protocol.isEmpty() || request.protocol.equalsIgnoreCase(port.protocol()));
  }

  /** An endpoint's DNS label: its hostname, else its IP with dashes (CoreDNS's {@code endpointHostname}). */
  static String hostname(EndpointAddress address) {
    if (!address.hostname().isEmpty()) {
      return address.hostname();
    }
    return dashed(address.ip());
  }

  /** An IP as one DNS label: 10-1-2-3, fd00--1 (a trailing dash gets a 0). */
  static String dashed(InetAddress ip) {
    String text = NetUtil.toAddressString(ip);
    if (ip instanceof Inet4Address) {
      return text.replace('.', '-');
    }
    String dashed = text.replace(':', '-');
    return dashed.endsWith("-") ? dashed + "0" : dashed;
  }

  private String base(String name) {
    return name.equals(zone) ? "" : name.substring(0, name.length() - zone.length() - 1);
  }

  static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}

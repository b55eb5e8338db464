package io.minicluster.registry.networking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.pod.PodSpecValidation;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * networking.k8s.io/v1 NetworkPolicies, as pkg/registry/networking/networkpolicy and ValidateNetworkPolicy: a
 * generation; ports default to TCP and policyTypes to Ingress (and Egress with egress rules); selectors, ports,
 * peers, ipBlocks and policyTypes validated. Policies are stored and validated only: minicluster's pod network is a
 * plain Docker bridge and nothing enforces them (as on kind without a CNI that does).
 */
public final class NetworkPolicyStrategy implements Strategy {
  static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
  private static final String CIDR_MESSAGE = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  @Override
  public ResourceType type() {
    return ResourceTypes.NETWORK_POLICIES;
  }

  @Override
  public boolean hasGeneration() {
    return true;
  }

  @Override
  public void applyDefaults(ObjectNode policy) {
    ObjectNode spec = Json.with(policy, "spec");
    for (String direction : POLICY_TYPES) {
      for (ObjectNode rule : Json.objects(spec, direction.toLowerCase(Locale.ROOT))) {
        for (ObjectNode port : Json.objects(rule, "ports")) {
          Json.defaultText(port, "protocol", "TCP");
        }
      }
    }
    if (Json.elements(spec, "policyTypes").isEmpty()) {
      ArrayNode types = spec.putArray("policyTypes").add("Ingress");
      if (!Json.elements(spec, "egress").isEmpty()) {
        types.add("Egress");
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode policy) {
    JsonNode spec = Json.get(policy, "spec");
    List<FieldError> errors = new ArrayList<>(
        ObjectMetaValidation.validateLabelSelector(Json.get(spec, "podSelector"), "spec.podSelector"));
    for (String direction : List.of("ingress", "egress")) {
      String peers = direction.equals("ingress") ? "from" : "to";
      List<JsonNode> rules = Json.elements(spec, direction);
      for (int i = 0; i < rules.size(); i++) {
        String at = "spec." + direction + "[" + i + "]";
        List<JsonNode> ports = Json.elements(rules.get(i), "ports");
        for (int p = 0; p < ports.size(); p++) {
          errors.addAll(validatePort(ports.get(p), at + ".ports[" + p + "]"));
        }
        List<JsonNode> peerList = Json.elements(rules.get(i), peers);
        for (int p = 0; p < peerList.size(); p++) {
          errors.addAll(validatePeer(peerList.get(p), at + "." + peers + "[" + p + "]"));
        }
      }
    }
    List<String> types = Json.strings(spec, "policyTypes");
    if (types.size() > POLICY_TYPES.size()) {
      errors.add(FieldError.invalid("spec.policyTypes", policyTypes(types), "may not specify more than two policyTypes"));
      return errors;
    }
    for (int i = 0; i < types.size(); i++) {
      if (!POLICY_TYPES.contains(types.get(i))) {
        errors.add(FieldError.notSupported("spec.policyTypes[" + i + "]", types.get(i), POLICY_TYPES));
      }
    }
    return errors;
  }

  private static GoValue policyTypes(List<String> types) {
    List<String> quoted = new ArrayList<>();
    types.forEach(type -> quoted.add(GoValue.quote(type)));
    return new GoValue("[]networking.PolicyType{" + String.join(", ", quoted) + "}");
  }

  private static List<FieldError> validatePort(JsonNode port, String at) {
    List<FieldError> errors = new ArrayList<>();
    String protocol = Json.textOrNull(port, "protocol");
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      errors.add(FieldError.notSupported(at + ".protocol", protocol, PROTOCOLS));
    }
    JsonNode number = Json.get(port, "port");
    JsonNode endPort = Json.get(port, "endPort");
    if (number == null) {
      if (endPort != null) {
        errors.add(FieldError.invalid(at + ".endPort", endPort.asLong(), "may not be specified when `port` is not "
            + "specified"));
      }
    } else if (number.isTextual()) {
      if (endPort != null) {
        errors.add(FieldError.invalid(at + ".endPort", endPort.asLong(), "may not be specified when `port` is "
            + "non-numeric"));
      }
      errors.addAll(PodSpecValidation.portNumberOrName(number, at + ".port"));
    } else {
      errors.addAll(PodSpecValidation.portNumberOrName(number, at + ".port"));
      if (endPort != null) {
        if (endPort.asLong() < number.asLong()) {
          errors.add(FieldError.invalid(at + ".endPort", endPort.asLong(), "must be greater than or equal to `port`"));
        }
        for (String message : Formats.portNumber(endPort.asLong())) {
          errors.add(FieldError.invalid(at + ".endPort", endPort.asLong(), message));
        }
      }
    }
    return errors;
  }

  private static List<FieldError> validatePeer(JsonNode peer, String at) {
    List<FieldError> errors = new ArrayList<>();
    int peers = 0;
    for (String selector : List.of("podSelector", "namespaceSelector")) {
      JsonNode value = Json.get(peer, selector);
      if (value != null) {
        peers++;
        errors.addAll(ObjectMetaValidation.validateLabelSelector(value, at + "." + selector));
      }
    }
    JsonNode ipBlock = Json.get(peer, "ipBlock");
    if (ipBlock != null) {
      peers++;
      errors.addAll(validateIpBlock(ipBlock, at + ".ipBlock"));
    }
    if (peers == 0) {
      errors.add(FieldError.required(at, "must specify a peer"));
    } else if (peers > 1 && ipBlock != null) {
      errors.add(FieldError.forbidden(at, "may not specify both ipBlock and another peer"));
    }
    return errors;
  }

  /** ValidateIPBlock: a CIDR and exceptions that are strict subsets of it. */
  private static List<FieldError> validateIpBlock(JsonNode ipBlock, String at) {
    String cidr = Json.text(ipBlock, "cidr");
    if (cidr.isEmpty()) {
      return List.of(FieldError.required(at + ".cidr", ""));
    }
    Cidr block = Cidr.parse(cidr);
    if (block == null) {
      return List.of(FieldError.invalid(at + ".cidr", cidr, CIDR_MESSAGE));
    }
    List<FieldError> errors = new ArrayList<>();
    List<String> excepts = Json.strings(ipBlock, "except");
    for (int i = 0; i < excepts.size(); i++) {
      String except = excepts.get(i);
      Cidr excluded = Cidr.parse(except);
      if (excluded == null) {
        errors.add(FieldError.invalid(at + ".except[" + i + "]", except, CIDR_MESSAGE));
      } else if (!block.contains(excluded) || block.bits() >= excluded.bits()) {
        errors.add(FieldError.invalid(at + ".except[" + i + "]", except, "must be a strict subset of `cidr`"));
      }
    }
    return errors;
  }

  /** A parsed CIDR: its network address (masked) as a number, its family's width and its prefix length. */
  private record Cidr(BigInteger network, int width, int bits) {
    static Cidr parse(String value) {
      int slash = value.indexOf('/');
      if (slash < 0 || !Formats.isIp(value.substring(0, slash))) {
        return null;
      }
      try {
        byte[] address = InetAddress.getByName(value.substring(0, slash)).getAddress();
        int width = address.length * 8;
        int bits = Integer.parseInt(value.substring(slash + 1));
        if (bits < 0 || bits > width) {
          return null;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
            .xor(BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE));
        return new Cidr(new BigInteger(1, address).and(mask), width, bits);
      } catch (NumberFormatException | UnknownHostException e) {
        return null;
      }
    }

    /** Whether the other block's network address is in this block (IPNet.Contains of its IP). */
    boolean contains(Cidr other) {
      return other.width == width && other.network.shiftRight(width - bits).equals(network.shiftRight(width - bits));
    }
  }
}

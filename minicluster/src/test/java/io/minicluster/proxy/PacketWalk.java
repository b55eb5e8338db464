package io.minicluster.proxy;

import static io.minicluster.proxy.Fixtures.CHAINS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows a new connection's first packet through the nat rules of an iptables-restore input, as the kernel would:
 * where it is DNATed to, with which probability, and whether it is marked for masquerade. Matches understood: -s, -d
 * (with !), -p, --dport, addrtype --src-type/--dst-type LOCAL, statistic (both branches are followed, weighted),
 * recent --rcheck (a client without history: no match), recent --set, mark (not set on a new packet), comment.
 */
final class PacketWalk {
  /** A packet: source, destination, protocol, port, and whether the source/destination is a local address. */
  record Packet(String source, String destination, String protocol, int port, boolean sourceLocal,
      boolean destinationLocal) {}

  /** Where a packet ends: the DNAT destination (null: not translated) and whether it was marked for masquerade. */
  record Outcome(String destination, boolean masquerade) {}

  private final IptablesState rules;
  private final Table table;

  PacketWalk(IptablesState rules, Table table) {
    this.rules = rules;
    this.table = table;
  }

  /** The outcomes of a packet entering {@code chain}, with their probabilities. */
  Map<Outcome, Double> from(String chain, Packet packet) {
    Map<Outcome, Double> result = new LinkedHashMap<>();
    walk(chain, packet, 0, false, 1.0, result, new ArrayList<>());
    return result;
  }

  /** Returns the weight that fell through the chain (RETURN or its end), with the masquerade state in {@code out}. */
  private void walk(String chain, Packet packet, int from, boolean masquerade, double weight,
      Map<Outcome, Double> result, List<String> stack) {
    if (stack.size() > 32) {
      throw new IllegalStateException("loop: " + stack);
    }
    List<String> chainRules = rules.rules(table, chain);
    for (int i = from; i < chainRules.size(); i++) {
      List<String> tokens = SavedForm.tokens(chainRules.get(i));
      double probability = 1.0;
      boolean matches = true;
      String target = null;
      List<String> targetArgs = new ArrayList<>();
      for (int t = 0; t < tokens.size() && matches; t++) {
        boolean negate = tokens.get(t).equals("!");
        if (negate) {
          t++;
        }
        String option = tokens.get(t);
        switch (option) {
          case "-s" -> matches = negate != inCidr(packet.source(), tokens.get(++t));
          case "-d" -> matches = negate != inCidr(packet.destination(), tokens.get(++t));
          case "-p" -> matches = negate != packet.protocol().equals(tokens.get(++t));
          case "--dport" -> matches = negate != (packet.port() == Integer.parseInt(tokens.get(++t)));
          case "--src-type" -> matches = negate != (packet.sourceLocal() == tokens.get(++t).equals("LOCAL"));
          case "--dst-type" -> matches = negate != (packet.destinationLocal() == tokens.get(++t).equals("LOCAL"));
          case "--probability" -> probability = Double.parseDouble(tokens.get(++t));
          case "--rcheck" -> matches = false;
          case "--mark" -> matches = negate; // a new packet carries no mark
          case "--comment", "--mode", "--name", "--seconds", "--mask", "-m", "--ctstate" -> t++;
          case "--set", "--reap", "--rsource" -> { }
          case "-j" -> {
            target = tokens.get(++t);
            targetArgs.addAll(tokens.subList(t + 1, tokens.size()));
            t = tokens.size();
          }
          default -> throw new IllegalArgumentException("unknown option " + option + " in " + chainRules.get(i));
        }
      }
      if (!matches || target == null) {
        continue;
      }
      double taken = weight * probability;
      double remaining = weight - taken;
      switch (target) {
        case "DNAT" -> {
          result.merge(new Outcome(targetArgs.get(1), masquerade), taken, Double::sum);
          if (remaining <= 1e-12) {
            return;
          }
          weight = remaining;
        }
        case "RETURN" -> {
          if (probability >= 1.0) {
            throw new IllegalStateException("RETURN not expected in " + chain);
          }
        }
        case "MARK" -> masquerade = true;
        default -> {
          if (target.equals(CHAINS.markMasq())) {
            masquerade = true;
            continue;
          }
          List<String> deeper = new ArrayList<>(stack);
          deeper.add(chain);
          Map<Outcome, Double> sub = new LinkedHashMap<>();
          walk(target, packet, 0, masquerade, taken, sub, deeper);
          double reached = sub.values().stream().mapToDouble(Double::doubleValue).sum();
          sub.forEach((outcome, w) -> result.merge(outcome, w, Double::sum));
          // what fell through the called chain continues here
          double fellThrough = taken - reached;
          weight = remaining + fellThrough;
          if (weight <= 1e-12) {
            return;
          }
        }
      }
    }
    if (weight > 1e-12) {
      result.merge(new Outcome(null, masquerade), weight, Double::sum);
    }
  }

  static boolean inCidr(String ip, String cidr) {
    String[] parts = cidr.split("/");
    int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
  }

  private static long toLong(String ip) {
    long value = 0;
    for (String octet : ip.split("\\.")) {
      value = (value << 8) | Integer.parseInt(octet);
    }
    return value;
  }
}

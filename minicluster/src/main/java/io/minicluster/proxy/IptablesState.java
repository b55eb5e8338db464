package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code iptables-save} shows of the tables the proxy writes: the chains of each table and their rules (the text
 * after {@code -A CHAIN}, as iptables-save normalises it). Also reads iptables-restore input, where {@code -I CHAIN
 * N} lines count as rules.
 */
public final class IptablesState {
  /** Nothing (no table known). */
  public static final IptablesState EMPTY = new IptablesState(Map.of());

  private final Map<Table, Map<String, List<String>>> tables;

  private IptablesState(Map<Table, Map<String, List<String>>> tables) {
    this.tables = tables;
  }

  /** Parses iptables-save output (or iptables-restore input); tables other than nat and filter are skipped. */
  public static IptablesState parse(String save) {
    requireNonNull(save, "save is null");
    Map<Table, Map<String, List<String>>> tables = new EnumMap<>(Table.class);
    Map<String, List<String>> current = null;
    for (String raw : save.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("*")) {
        Table table = Table.of(line.substring(1));
        current = table == null ? null : tables.computeIfAbsent(table, t -> new LinkedHashMap<>());
      } else if (current == null || line.equals("COMMIT")) {
        continue;
      } else if (line.startsWith(":")) {
        current.computeIfAbsent(line.substring(1).split(" ", 2)[0], c -> new ArrayList<>());
      } else if (line.startsWith("-A ") || line.startsWith("-I ")) {
        String[] parts = line.split(" ", 3);
        String chain = parts[1];
        String rule = parts.length > 2 ? parts[2] : "";
        if (line.startsWith("-I ")) {
          String[] positioned = rule.split(" ", 2);
          rule = positioned[0].matches("\\d+") ? (positioned.length > 1 ? positioned[1] : "") : rule;
        }
        current.computeIfAbsent(chain, c -> new ArrayList<>()).add(rule);
      }
    }
    return new IptablesState(tables);
  }

  /** The chains of a table, in the order shown. */
  public Set<String> chains(Table table) {
    return tables.getOrDefault(table, Map.of()).keySet();
  }

  /** The rules of a chain, in order; empty when the chain is unknown. */
  public List<String> rules(Table table, String chain) {
    return List.copyOf(tables.getOrDefault(table, Map.of()).getOrDefault(chain, List.of()));
  }

  /** Whether a chain is shown with exactly {@code expected} as its rules. */
  boolean hasRules(Table table, String chain, List<String> expected) {
    return tables.getOrDefault(table, Map.of()).getOrDefault(chain, List.of()).equals(expected);
  }

  /** The chains of a table that are among {@code names}. */
  public List<String> chainsOf(Table table, Chains names) {
    requireNonNull(names, "names is null");
    return chains(table).stream().filter(names::ours).toList();
  }

  /** Whether any table holds a chain among {@code names}. */
  public boolean hasChainsOf(Chains names) {
    for (Table table : Table.values()) {
      if (!chainsOf(table, names).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The number of rules in every table shown (iptables-wrapper's measure of which backend is in use). */
  public int ruleCount() {
    int count = 0;
    for (Map<String, List<String>> table : tables.values()) {
      for (List<String> rules : table.values()) {
        count += rules.size();
      }
    }
    return count;
  }

  /** The target of a rule ({@code -j X}), or null. */
  static String target(String rule) {
    int at = rule.lastIndexOf("-j ");
    if (at < 0 || (at > 0 && rule.charAt(at - 1) != ' ')) {
      return null;
    }
    String rest = rule.substring(at + 3);
    int space = rest.indexOf(' ');
    return space < 0 ? rest : rest.substring(0, space);
  }
}

package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iptables flavour of the host, legacy (x_tables) or nft: rules written with the other one would be invisible to
 * the host's own tools and could be shadowed by its rules. Chosen as Kubernetes' iptables-wrapper does: the flavour
 * that already holds this proxy's chains (a restart keeps its backend), else the one with kube's hint chains, else the one
 * with more rules (ties go to nft, the default of current distributions).
 */
public enum IptablesBackend {
  LEGACY("iptables-legacy-save", "iptables-legacy-restore"),
  NFT("iptables-nft-save", "iptables-nft-restore"),
  /** Plain iptables-save/iptables-restore, where the host has no flavoured commands. */
  DEFAULT("iptables-save", "iptables-restore");

  private static final Logger LOG = LoggerFactory.getLogger(IptablesBackend.class);

  private final String save;
  private final String restore;

  IptablesBackend(String save, String restore) {
    this.save = save;
    this.restore = restore;
  }

  public String saveCommand() {
    return save;
  }

  public String restoreCommand() {
    return restore;
  }

  /** The iptables-save output of this backend, or empty when its command is missing or fails. */
  public Optional<String> save(CommandRunner runner) {
    try {
      CommandRunner.Result result = runner.run(List.of(save), null);
      return result.ok() ? Optional.of(result.stdout()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The backend of the host.
   *
   * @throws IllegalStateException when no iptables command works
   */
  public static IptablesBackend detect(CommandRunner runner, Chains chains) {
    requireNonNull(runner, "runner is null");
    requireNonNull(chains, "chains is null");
    Optional<String> legacy = LEGACY.save(runner);
    Optional<String> nft = NFT.save(runner);
    IptablesBackend chosen = choose(legacy, nft, chains);
    if (chosen == null) {
      if (DEFAULT.save(runner).isPresent()) {
        return DEFAULT;
      }
      throw new IllegalStateException("no iptables command works on this host (iptables-legacy-save, "
          + "iptables-nft-save, iptables-save): the service proxy needs root and the iptables package");
    }
    LOG.info("iptables backend: {} ({} rules in legacy, {} in nft)", chosen.name().toLowerCase(),
        legacy.map(IptablesBackend::ruleLines).orElse(-1), nft.map(IptablesBackend::ruleLines).orElse(-1));
    return chosen;
  }

  /** The choice between the two flavours' iptables-save outputs (empty: the command is missing); null: neither. */
  static IptablesBackend choose(Optional<String> legacy, Optional<String> nft, Chains chains) {
    if (legacy.isEmpty() || nft.isEmpty()) {
      return legacy.isPresent() ? LEGACY : nft.isPresent() ? NFT : null;
    }
    boolean legacyOurs = IptablesState.parse(legacy.get()).hasChainsOf(chains);
    boolean nftOurs = IptablesState.parse(nft.get()).hasChainsOf(chains);
    if (legacyOurs != nftOurs) {
      return legacyOurs ? LEGACY : NFT;
    }
    boolean legacyHint = hasKubeHint(legacy.get());
    boolean nftHint = hasKubeHint(nft.get());
    if (legacyHint != nftHint) {
      return legacyHint ? LEGACY : NFT;
    }
    return ruleLines(legacy.get()) > ruleLines(nft.get()) ? LEGACY : NFT;
  }

  /** The lines of an iptables-save output that are rules (iptables-wrapper counts lines starting with "-"). */
  static int ruleLines(String save) {
    int count = 0;
    for (String line : save.split("\n")) {
      if (line.startsWith("-")) {
        count++;
      }
    }
    return count;
  }

  private static boolean hasKubeHint(String save) {
    return save.contains(":KUBE-IPTABLES-HINT ") || save.contains(":KUBE-KUBELET-CANARY ");
  }
}

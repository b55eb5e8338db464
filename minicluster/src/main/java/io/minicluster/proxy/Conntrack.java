package io.minicluster.proxy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes UDP conntrack entries that would keep sending a flow to an endpoint that is gone (UDP has no connection
 * to break: without this, a client reusing its source port keeps hitting the removed endpoint until the entry expires).
 * Uses the conntrack tool (Debian package conntrack); without it, says so once and does nothing.
 */
public class Conntrack {
  private static final Logger LOG = LoggerFactory.getLogger(Conntrack.class);

  private final CommandRunner runner;
  private volatile Boolean available;

  public Conntrack(CommandRunner runner) {
    this.runner = requireNonNull(runner, "runner is null");
  }

  /** Whether the conntrack tool is installed. */
  public boolean available() {
    Boolean known = available;
    if (known == null) {
      known = runner.exists("conntrack");
      available = known;
      if (!known) {
        LOG.warn("the conntrack tool is not installed: UDP flows to a removed service endpoint are not cleared and "
            + "keep going to it until their conntrack entry expires (install the Debian package conntrack)");
      }
    }
    return known;
  }

  /** Deletes the UDP flows to a service address that were translated to an endpoint. */
  public void deleteServiceFlows(String serviceAddress, String endpointIp) {
    delete(List.of("-D", "-p", "udp", "--orig-dst", serviceAddress, "--dst-nat", endpointIp));
  }

  /** Deletes the UDP flows to a node port that were translated to an endpoint. */
  public void deleteNodePortFlows(int nodePort, String endpointIp) {
    delete(List.of("-D", "-p", "udp", "--dport", Integer.toString(nodePort), "--dst-nat", endpointIp));
  }

  /** Deletes every UDP flow to a service address (it had no endpoint: the entries hold the rejection). */
  public void deleteFlowsTo(String serviceAddress) {
    delete(List.of("-D", "-p", "udp", "--orig-dst", serviceAddress));
  }

  /** Runs {@code conntrack ARGS}; exit status 1 with "0 flow entries" is no error (nothing matched). */
  protected void delete(List<String> args) {
    if (!available()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add("conntrack");
    command.addAll(args);
    try {
      CommandRunner.Result result = runner.run(command, null);
      if (!result.ok() && !result.stderr().contains("0 flow entries")) {
        LOG.warn("{} failed: {}", String.join(" ", command), result.stderr().strip());
      }
    } catch (IOException e) {
      LOG.warn("{} failed: {}", String.join(" ", command), e.getMessage());
    }
  }
}

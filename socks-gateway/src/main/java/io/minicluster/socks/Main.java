package io.minicluster.socks;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.CidrAllowListPolicy;
import io.minicluster.socks.policy.CidrRule;
import io.minicluster.socks.resolve.StaticNameResolver;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone gateway: {@code java -jar socks-gateway.jar --port 1080 --allow 10.244.0.0/16 [--allow ...]
 * [--bind 127.0.0.1] [--user u:p] [--allow-client CIDR] [--pac-domain .cluster.local]}.
 */
public final class Main {

  private static final String USAGE = String.join("\n",
      "usage: java -jar socks-gateway.jar [options]",
      "  --port N              listen port (default 1080; 0 = any free port)",
      "  --bind ADDRESS        listen address (default 127.0.0.1)",
      "  --allow RULE          allowed destination, repeatable: CIDR, CIDR:PORT[-PORT], [IPv6-CIDR]:PORTS",
      "  --user USER:PASSWORD  require SOCKS5 username/password (also HTTP proxy Basic auth)",
      "  --allow-client CIDR   allowed client network, repeatable",
      "  --pac-domain SUFFIX   domain routed through the gateway by /proxy.pac, repeatable",
      "  --pac-cidr CIDR       network routed by /proxy.pac (default: the --allow networks), repeatable",
      "  --map-host NAME=IP    resolve NAME to IP (names under --pac-domain not mapped are unknown), repeatable",
      "  --system-dns          resolve other names with the system resolver",
      "  --advertise HOST      host written into the PAC file and status page",
      "  --local-name NAME     another host name the PAC file and status page answer to, repeatable",
      "  --max-connections N   concurrent client connections (default 4096)",
      "  --idle-timeout SECS   close relays idle this long (default 0: never; TCP keepalive finds dead peers)",
      "  --connect-timeout SECS  destination connect timeout (default 10)",
      "  --no-http-connect     disable HTTP CONNECT",
      "  --no-http-proxy       disable plain HTTP proxying (GET http://...)",
      "  --relay-buffer BYTES  largest single socket read when relaying (default 262144)",
      "  --socket-buffer BYTES SO_RCVBUF/SO_SNDBUF (default 0: kernel auto-tuning)",
      "  --worker-threads N    event loop threads (default 0: twice the CPU count)");

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    GatewayConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("socks-gateway: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.println(USAGE);
      return;
    }
    SocksGateway gateway = new SocksGateway(config);
    int port;
    try {
      port = gateway.start();
    } catch (RuntimeException e) {
      System.err.println("socks-gateway: " + e.getMessage());
      System.exit(1);
      return;
    }
    printBanner(System.out, config, gateway.localAddress().getAddress(), port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "socks-gateway-shutdown"));
    stopped.await();
  }

  /** Parses the command line; returns null for --help. */
  static GatewayConfig parse(String[] args) {
    GatewayConfig.Builder builder = GatewayConfig.builder();
    List<CidrRule> rules = new ArrayList<>();
    List<Cidr> pacCidrs = new ArrayList<>();
    List<String> pacDomains = new ArrayList<>();
    Map<String, InetAddress> mappedHosts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        return null;
      }
      if (option.equals("--system-dns")) {
        builder.systemDnsAllowed(true);
        continue;
      }
      if (option.equals("--no-http-connect")) {
        builder.httpConnectEnabled(false);
        continue;
      }
      if (option.equals("--no-http-proxy")) {
        builder.httpProxyEnabled(false);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--port" -> builder.port(parseInt(option, value));
        case "--bind" -> {
          InetAddress bind = Cidr.parseAddressLiteral(value);
          if (bind == null) {
            throw new IllegalArgumentException("--bind needs an IP address, got '" + value + "'");
          }
          builder.bindAddress(bind);
        }
        case "--allow" -> rules.add(CidrRule.parse(value));
        case "--user" -> builder.credentials(Credentials.parse(value));
        case "--allow-client" -> builder.allowClient(Cidr.parse(value));
        case "--pac-domain" -> {
          builder.pacDomain(value);
          pacDomains.add(value.toLowerCase(Locale.ROOT));
        }
        case "--pac-cidr" -> pacCidrs.add(Cidr.parse(value));
        case "--map-host" -> {
          int equals = value.indexOf('=');
          InetAddress address = equals > 0 ? Cidr.parseAddressLiteral(value.substring(equals + 1)) : null;
          if (address == null) {
            throw new IllegalArgumentException("--map-host needs NAME=IP, got '" + value + "'");
          }
          mappedHosts.put(value.substring(0, equals).toLowerCase(Locale.ROOT), address);
        }
        case "--advertise" -> builder.advertisedHost(value);
        case "--local-name" -> builder.localName(value);
        case "--max-connections" -> builder.maxConnections(parseInt(option, value));
        case "--idle-timeout" -> builder.idleTimeout(Duration.ofSeconds(parseInt(option, value)));
        case "--relay-buffer" -> builder.relayReadBufferMax(parseInt(option, value));
        case "--socket-buffer" -> builder.socketBufferSize(parseInt(option, value));
        case "--worker-threads" -> builder.workerThreads(parseInt(option, value));
        case "--connect-timeout" -> builder.connectTimeout(Duration.ofSeconds(parseInt(option, value)));
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    builder.policy(new CidrAllowListPolicy(rules));
    if (pacCidrs.isEmpty()) {
      rules.forEach(rule -> builder.pacCidr(rule.cidr()));
    } else {
      pacCidrs.forEach(builder::pacCidr);
    }
    if (!mappedHosts.isEmpty()) {
      builder.resolver(new StaticNameResolver(mappedHosts, pacDomains));
    }
    return builder.build();
  }

  private static void printBanner(PrintStream out, GatewayConfig config, InetAddress bound, int port) {
    String host = bound.getHostAddress().indexOf(':') >= 0 ? "[" + bound.getHostAddress() + "]"
        : bound.getHostAddress();
    out.println("socks-gateway listening on " + host + ":" + port
        + " (SOCKS5, SOCKS4/4a" + (config.httpConnectEnabled() ? ", HTTP CONNECT" : "")
        + (config.httpProxyEnabled() ? ", HTTP proxy" : "") + ")");
    out.println("  allowed destinations: " + String.join(", ", config.policy().describe()));
    out.println("  PAC file:    http://" + host + ":" + port + "/proxy.pac");
    out.println("  status page: http://" + host + ":" + port + "/");
    if (config.credentials().isPresent()) {
      out.println("  SOCKS5 username/password required");
    }
    if (!config.clientAllowList().isEmpty()) {
      out.println("  clients allowed from: " + config.clientAllowList());
    }
  }

  private static int parseInt(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
    }
  }
}

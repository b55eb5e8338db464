package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import io.minicluster.socks.policy.Cidr;
import io.minicluster.socks.policy.DestinationPolicy;
import io.minicluster.socks.resolve.NameResolver;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Everything a {@link SocksGateway} needs. Build with {@link #builder()}; {@link Builder#build()} refuses a
 * non-loopback bind address unless credentials or a client allow-list is set.
 */
public final class GatewayConfig {

  private static final Pattern DOMAIN_SUFFIX = Pattern.compile("\\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private final InetAddress bindAddress;
  private final int port;
  private final Credentials credentials;
  private final List<Cidr> clientAllowList;
  private final DestinationPolicy policy;
  private final NameResolver resolver;
  private final boolean systemDnsAllowed;
  private final Executor resolverExecutor;
  private final Duration handshakeTimeout;
  private final Duration idleTimeout;
  private final Duration httpIdleTimeout;
  private final TcpKeepAlive tcpKeepAlive;
  private final Duration connectTimeout;
  private final int maxConnections;
  private final int writeBufferLowWaterMark;
  private final int writeBufferHighWaterMark;
  private final List<Cidr> pacCidrs;
  private final List<String> pacDomains;
  private final String advertisedHost;
  private final List<String> localNames;
  private final List<StatusPageExtension> statusPageExtensions;
  private final String statusPageTitle;
  private final boolean httpConnectEnabled;
  private final boolean httpProxyEnabled;
  private final int workerThreads;
  private final int relayReadBufferMax;
  private final int socketBufferSize;

  private GatewayConfig(Builder builder) {
    this.bindAddress = builder.bindAddress;
    this.port = builder.port;
    this.credentials = builder.credentials;
    this.clientAllowList = List.copyOf(builder.clientAllowList);
    this.policy = builder.policy;
    this.resolver = builder.resolver;
    this.systemDnsAllowed = builder.systemDnsAllowed;
    this.resolverExecutor = builder.resolverExecutor;
    this.handshakeTimeout = builder.handshakeTimeout;
    this.idleTimeout = builder.idleTimeout;
    this.httpIdleTimeout = builder.httpIdleTimeout;
    this.tcpKeepAlive = builder.tcpKeepAlive;
    this.connectTimeout = builder.connectTimeout;
    this.maxConnections = builder.maxConnections;
    this.writeBufferLowWaterMark = builder.writeBufferLowWaterMark;
    this.writeBufferHighWaterMark = builder.writeBufferHighWaterMark;
    this.pacCidrs = List.copyOf(builder.pacCidrs);
    this.pacDomains = List.copyOf(builder.pacDomains);
    this.advertisedHost = builder.advertisedHost;
    this.localNames = List.copyOf(builder.localNames);
    this.statusPageExtensions = List.copyOf(builder.statusPageExtensions);
    this.statusPageTitle = builder.statusPageTitle;
    this.httpConnectEnabled = builder.httpConnectEnabled;
    this.httpProxyEnabled = builder.httpProxyEnabled;
    this.workerThreads = builder.workerThreads;
    this.relayReadBufferMax = builder.relayReadBufferMax;
    this.socketBufferSize = builder.socketBufferSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  public InetAddress bindAddress() {
    return bindAddress;
  }

  /** The port to listen on; 0 picks a free one ({@link SocksGateway#start()} returns it). */
  public int port() {
    return port;
  }

  public Optional<Credentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  /** Client networks allowed to connect; empty means any client that can reach the bind address. */
  public List<Cidr> clientAllowList() {
    return clientAllowList;
  }

  public DestinationPolicy policy() {
    return policy;
  }

  public NameResolver resolver() {
    return resolver;
  }

  /** Whether names the resolver answers {@code NotMine} for may be looked up in system DNS. */
  public boolean systemDnsAllowed() {
    return systemDnsAllowed;
  }

  /** The executor running the resolver and the policy; empty means the gateway owns a small pool. */
  public Optional<Executor> resolverExecutor() {
    return Optional.ofNullable(resolverExecutor);
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * How long an established relay (SOCKS, CONNECT, or a plain-HTTP exchange in progress) may go without traffic
   * before the gateway closes it; empty (the default) means never: dead peers are found by TCP keepalive instead.
   */
  public Optional<Duration> idleTimeout() {
    return Optional.ofNullable(idleTimeout);
  }

  /** How long a plain-HTTP client connection may wait for its next request (keep-alive) before it is closed. */
  public Duration httpIdleTimeout() {
    return httpIdleTimeout;
  }

  /** TCP keepalive on both legs of every connection. */
  public TcpKeepAlive tcpKeepAlive() {
    return tcpKeepAlive;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public int writeBufferLowWaterMark() {
    return writeBufferLowWaterMark;
  }

  public int writeBufferHighWaterMark() {
    return writeBufferHighWaterMark;
  }

  public List<Cidr> pacCidrs() {
    return pacCidrs;
  }

  /** Domain suffixes routed through the gateway by the PAC file, each starting with a dot. */
  public List<String> pacDomains() {
    return pacDomains;
  }

  /** The host written into the PAC file and status page instead of the request's Host header. */
  public Optional<String> advertisedHost() {
    return Optional.ofNullable(advertisedHost);
  }

  /**
   * Extra host names under which the gateway serves its PAC file and status page (a request whose Host header
   * names anything else is refused, against DNS rebinding). Always accepted besides these: IP literals,
   * {@code localhost}, the machine's host name and the advertised host.
   */
  public List<String> localNames() {
    return localNames;
  }

  public List<StatusPageExtension> statusPageExtensions() {
    return statusPageExtensions;
  }

  /** The status page's title (default {@code SOCKS gateway}); an embedding application may name its cluster. */
  public String statusPageTitle() {
    return statusPageTitle;
  }

  public boolean httpConnectEnabled() {
    return httpConnectEnabled;
  }

  /**
   * Whether plain HTTP proxy requests ({@code GET http://host/path}, as browsers and {@code http_proxy} tools send
   * them) are relayed, under the same policy and credentials as SOCKS and CONNECT.
   */
  public boolean httpProxyEnabled() {
    return httpProxyEnabled;
  }

  /** Netty worker threads; 0 means Netty's default. */
  public int workerThreads() {
    return workerThreads;
  }

  /** The largest buffer one socket read may fill (the adaptive receive buffer grows up to this). */
  public int relayReadBufferMax() {
    return relayReadBufferMax;
  }

  /** SO_RCVBUF and SO_SNDBUF of client and destination sockets; 0 keeps the kernel's auto-tuning. */
  public int socketBufferSize() {
    return socketBufferSize;
  }

  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = 1080;
    private Credentials credentials;
    private final List<Cidr> clientAllowList = new ArrayList<>();
    private DestinationPolicy policy = DestinationPolicy.denyAll();
    private NameResolver resolver = NameResolver.none();
    private boolean systemDnsAllowed;
    private Executor resolverExecutor;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout;
    private Duration httpIdleTimeout = Duration.ofMinutes(2);
    private TcpKeepAlive tcpKeepAlive = TcpKeepAlive.DEFAULT;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxConnections = 4096;
    private int writeBufferLowWaterMark = 64 * 1024;
    private int writeBufferHighWaterMark = 256 * 1024;
    private final List<Cidr> pacCidrs = new ArrayList<>();
    private final List<String> pacDomains = new ArrayList<>();
    private String advertisedHost;
    private final List<String> localNames = new ArrayList<>();
    private final List<StatusPageExtension> statusPageExtensions = new ArrayList<>();
    private String statusPageTitle = "SOCKS gateway";
    private boolean httpConnectEnabled = true;
    private boolean httpProxyEnabled = true;
    private int workerThreads;
    private int relayReadBufferMax = 256 * 1024;
    private int socketBufferSize;

    private Builder() {
    }

    public Builder bindAddress(InetAddress value) {
      this.bindAddress = requireNonNull(value, "bindAddress is null");
      return this;
    }

    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port out of range: " + value);
      }
      this.port = value;
      return this;
    }

    public Builder credentials(Credentials value) {
      this.credentials = value;
      return this;
    }

    public Builder allowClient(Cidr value) {
      clientAllowList.add(requireNonNull(value, "client CIDR is null"));
      return this;
    }

    public Builder policy(DestinationPolicy value) {
      this.policy = requireNonNull(value, "policy is null");
      return this;
    }

    public Builder resolver(NameResolver value) {
      this.resolver = requireNonNull(value, "resolver is null");
      return this;
    }

    public Builder systemDnsAllowed(boolean value) {
      this.systemDnsAllowed = value;
      return this;
    }

    public Builder resolverExecutor(Executor value) {
      this.resolverExecutor = value;
      return this;
    }

    public Builder handshakeTimeout(Duration value) {
      this.handshakeTimeout = positive(value, "handshakeTimeout");
      return this;
    }

    /** Closes relays idle this long; null or zero means never (the default). */
    public Builder idleTimeout(Duration value) {
      if (value != null && value.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative");
      }
      this.idleTimeout = value == null || value.isZero() ? null : value;
      return this;
    }

    public Builder httpIdleTimeout(Duration value) {
      this.httpIdleTimeout = positive(value, "httpIdleTimeout");
      return this;
    }

    public Builder tcpKeepAlive(TcpKeepAlive value) {
      this.tcpKeepAlive = requireNonNull(value, "tcpKeepAlive is null");
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    public Builder maxConnections(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxConnections must be positive");
      }
      this.maxConnections = value;
      return this;
    }

    public Builder writeBufferWaterMarks(int low, int high) {
      if (low < 1 || high < low) {
        throw new IllegalArgumentException("need 0 < low <= high, got " + low + ", " + high);
      }
      this.writeBufferLowWaterMark = low;
      this.writeBufferHighWaterMark = high;
      return this;
    }

    public Builder pacCidr(Cidr value) {
      pacCidrs.add(requireNonNull(value, "PAC CIDR is null"));
      return this;
    }

    /** Adds a domain suffix such as {@code cluster.local} or {@code .cluster.local} (both mean the same). */
    public Builder pacDomain(String value) {
      requireNonNull(value, "PAC domain is null");
      String normalized = value.trim().toLowerCase(Locale.ROOT);
      if (normalized.startsWith("*")) {
        normalized = normalized.substring(1);
      }
      if (!DOMAIN_SUFFIX.matcher(normalized).matches()) {
        throw new IllegalArgumentException("not a domain suffix: '" + value + "'");
      }
      pacDomains.add(normalized.startsWith(".") ? normalized : "." + normalized);
      return this;
    }

    public Builder advertisedHost(String value) {
      if (value != null && !value.matches("[A-Za-z0-9.:\\[\\]-]+")) {
        throw new IllegalArgumentException("not a host: '" + value + "'");
      }
      this.advertisedHost = value;
      return this;
    }

    /** Adds a host name the gateway's own pages may be requested under (see {@link GatewayConfig#localNames()}). */
    public Builder localName(String value) {
      requireNonNull(value, "local name is null");
      if (!value.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9.])?")) {
        throw new IllegalArgumentException("not a host name: '" + value + "'");
      }
      localNames.add(value.toLowerCase(Locale.ROOT));
      return this;
    }

    public Builder statusPageExtension(StatusPageExtension value) {
      statusPageExtensions.add(requireNonNull(value, "status page extension is null"));
      return this;
    }

    public Builder statusPageTitle(String value) {
      requireNonNull(value, "statusPageTitle is null");
      if (value.isBlank()) {
        throw new IllegalArgumentException("statusPageTitle is blank");
      }
      this.statusPageTitle = value;
      return this;
    }

    public Builder httpConnectEnabled(boolean value) {
      this.httpConnectEnabled = value;
      return this;
    }

    public Builder httpProxyEnabled(boolean value) {
      this.httpProxyEnabled = value;
      return this;
    }

    public Builder workerThreads(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("workerThreads must not be negative");
      }
      this.workerThreads = value;
      return this;
    }

    public Builder relayReadBufferMax(int value) {
      if (value < 4096 || value > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("relayReadBufferMax must be within 4 KiB..16 MiB, got " + value);
      }
      this.relayReadBufferMax = value;
      return this;
    }

    /** 0 keeps the kernel's auto-tuning (the default). */
    public Builder socketBufferSize(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("socketBufferSize must not be negative");
      }
      this.socketBufferSize = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException if the gateway would listen beyond loopback with neither credentials nor a
     *     client allow-list
     */
    public GatewayConfig build() {
      if (!bindAddress.isLoopbackAddress() && credentials == null && clientAllowList.isEmpty()) {
        throw new IllegalArgumentException("refusing to listen on " + bindAddress.getHostAddress()
            + " (not loopback) without credentials or a client allow-list: anyone who can reach that address could"
            + " use the gateway. Set credentials (--user u:p) or a client allow-list (--allow-client CIDR), or bind"
            + " to 127.0.0.1 and use an SSH tunnel.");
      }
      return new GatewayConfig(this);
    }

    private static Duration positive(Duration value, String name) {
      requireNonNull(value, name + " is null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}

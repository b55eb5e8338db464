package io.minicluster.cli;

import io.minicluster.config.ConfigKey;
import io.minicluster.config.Settings;
import io.minicluster.pki.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code minicluster kubeconfig}: the admin kubeconfig on standard output. */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the admin kubeconfig (optionally for another server address).",
        "The daemon writes it to DATA_DIR/kubeconfig.yaml: cluster, user and "
        + "context named minicluster, credentials embedded. It grants full control of the cluster: keep copies "
        + "private (mode 0600).",
        "Example for a workstation: minicluster kubeconfig --server https://my-host:6443 > ~/.kube/minicluster",
        "Or through the SOCKS gateway, the same SSH tunnel as the browser's (ssh -L 1080:127.0.0.1:1080 THIS-HOST): "
        + "minicluster kubeconfig --via-gateway > ~/.kube/minicluster"})
final class KubeconfigCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--server", paramLabel = "URL",
      description = "API address to write instead of the daemon's (https://HOST:PORT), e.g. this machine's name "
          + "as a workstation reaches it.")
  String server;

  @Option(names = "--via-gateway", arity = "0..1", paramLabel = "PORT", fallbackValue = "0",
      description = "Reach the API through the SOCKS gateway: server https://kubernetes.default.svc (the in-cluster "
          + "name, which the gateway resolves) with proxy-url socks5://127.0.0.1:PORT. PORT is where the gateway "
          + "answers on the workstation (default: the daemon's socks-port, as an SSH tunnel keeping it gives).")
  Integer viaGateway;

  @Spec
  CommandSpec spec;

  /** The server of a kubeconfig that goes through the gateway: the kubernetes service's name. */
  static final String IN_CLUSTER_SERVER = "https://kubernetes.default.svc";

  @Override
  public Integer call() throws Exception {
    Settings settings = options.load();
    Path file = settings.dataDir().resolve("kubeconfig.yaml");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException("no kubeconfig at " + file + ": the daemon writes it when it starts (is minicluster "
          + "running? `minicluster status`), or pass --data-dir");
    } catch (AccessDeniedException e) {
      throw new CliException("permission denied reading " + file + ": run with sudo");
    }
    if (viaGateway != null) {
      if (server != null) {
        throw new CliException("--server and --via-gateway exclude each other: through the gateway the server is "
            + IN_CLUSTER_SERVER, 2);
      }
      print(withCluster(text, IN_CLUSTER_SERVER, proxyUrl(settings)));
      return 0;
    }
    if (server == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    }
    URI uri;
    try {
      uri = URI.create(server);
    } catch (IllegalArgumentException e) {
      throw new CliException("--server: \"" + server + "\" is not a URL: use https://HOST:PORT", 2);
    }
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() != null && !uri.getPath().isEmpty()
        && !uri.getPath().equals("/")) {
      throw new CliException("--server: \"" + server + "\" is not an API address: use https://HOST:PORT", 2);
    }
    print(withCluster(text, server.endsWith("/") ? server.substring(0, server.length() - 1) : server, null));
    warnUnlessCertificateNames(settings.dataDir().resolve("pki/server.crt"), uri.getHost());
    return 0;
  }

  private void print(String kubeconfig) {
    spec.commandLine().getOut().print(kubeconfig);
    spec.commandLine().getOut().flush();
  }

  /** The proxy URL of the gateway on the workstation's loopback, with the gateway's credentials if it needs them. */
  private String proxyUrl(Settings settings) throws CliException {
    int port = viaGateway;
    if (port == 0) {
      port = settings.socksPort();
      if (port < 0) {
        throw new CliException("--via-gateway: the daemon's SOCKS gateway is off (socks-port: -1): "
            + settings.howToChange(ConfigKey.SOCKS_PORT) + " and restart minicluster, or give the port a tunnel "
            + "reaches it on: --via-gateway=PORT");
      }
    } else if (port > 65535) {
      throw new CliException("--via-gateway: " + port + " is not a port number: use 1-65535", 2);
    }
    String user = settings.socksUser();
    String credentials = "";
    if (user != null) {
      int colon = user.indexOf(':');
      credentials = userInfo(user.substring(0, colon)) + ":" + userInfo(user.substring(colon + 1)) + "@";
    }
    return "socks5://" + credentials + "127.0.0.1:" + port;
  }

  /** Text percent-encoded for a URL's user information (URLEncoder's form encoding, with spaces as %20). */
  private static String userInfo(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The kubeconfig with every cluster's server replaced, and its proxy-url set (or left alone when null). */
  @SuppressWarnings("unchecked")
  private static String withCluster(String text, String server, String proxyUrl) {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    for (Object entry : (List<Object>) root.get("clusters")) {
      Map<String, Object> cluster = (Map<String, Object>) ((Map<String, Object>) entry).get("cluster");
      cluster.put("server", server);
      if (proxyUrl != null) {
        cluster.put("proxy-url", proxyUrl);
      }
    }
    DumperOptions dumper = new DumperOptions();
    dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dumper.setIndent(2);
    dumper.setIndicatorIndent(0);
    dumper.setWidth(Integer.MAX_VALUE);
    dumper.setSplitLines(false);
    return new Yaml(dumper).dump(root);
  }

  /** Warns on stderr when the serving certificate does not name {@code host}: clients would refuse it. */
  private void warnUnlessCertificateNames(Path certificateFile, String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try {
      X509Certificate certificate = Pem.parseCertificate(Files.readString(certificateFile, StandardCharsets.US_ASCII));
      boolean literal = bare.matches("[0-9.]+") || bare.contains(":");
      InetAddress address = literal ? InetAddress.getByName(bare) : null;
      for (List<?> name : certificate.getSubjectAlternativeNames()) {
        int type = (Integer) name.get(0);
        String value = String.valueOf(name.get(1));
        if (type == 2 && !literal && value.equalsIgnoreCase(bare)
            || type == 7 && literal && InetAddress.getByName(value).equals(address)) {
          return;
        }
      }
      spec.commandLine().getErr().println("warning: the API server's certificate does not name " + bare.toLowerCase(
          Locale.ROOT) + ", so clients will refuse the connection: use a name or address it holds (this machine's "
          + "host name or IP), or 127.0.0.1 through `ssh -L 6443:127.0.0.1:6443 THIS-HOST`");
    } catch (IOException | CertificateParsingException | RuntimeException e) {
      // no certificate to compare with (e.g. no permission): nothing to warn about
    }
  }
}

package io.minicluster.cli;

import io.minicluster.config.Settings;
import io.minicluster.pki.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
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
        "Example for a workstation: minicluster kubeconfig --server https://my-host:6443 > ~/.kube/minicluster"})
final class KubeconfigCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options;

  @Option(names = "--server", paramLabel = "URL",
      description = "API address to write instead of the daemon's (https://HOST:PORT), e.g. this machine's name "
          + "as a workstation reaches it.")
  String server;

  @Spec
  CommandSpec spec;

  @Override
  @SuppressWarnings("unchecked")
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
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    for (Object entry : (List<Object>) root.get("clusters")) {
      ((Map<String, Object>) ((Map<String, Object>) entry).get("cluster")).put("server",
          server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
    }
    DumperOptions dumper = new DumperOptions();
    dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dumper.setIndent(2);
    dumper.setIndicatorIndent(0);
    dumper.setWidth(Integer.MAX_VALUE);
    dumper.setSplitLines(false);
    spec.commandLine().getOut().print(new Yaml(dumper).dump(root));
    spec.commandLine().getOut().flush();
    warnUnlessCertificateNames(settings.dataDir().resolve("pki/server.crt"), uri.getHost());
    return 0;
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

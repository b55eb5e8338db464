package io.minicluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.server.ServerConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir
  Path temporary;

  private Path file(String text) throws Exception {
    Path file = temporary.resolve("config.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static String sample() throws Exception {
    try (InputStream in = SettingsTest.class.getResourceAsStream("/config.yaml")) {
      assertThat(in).as("the sample config.yaml resource").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    Settings settings = Settings.defaults();
    assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/minicluster"));
    assertThat(settings.apiPort()).isEqualTo(6443);
    assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(settings.socksPort()).isEqualTo(1080);
    assertThat(settings.socksBindAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.socksUser()).isNull();
    assertThat(settings.socksAllowedClients()).isEmpty();
    assertThat(settings.podNetwork()).isEqualTo("minicluster");
    assertThat(settings.nodeAgent()).isTrue();
    ServerConfig config = settings.toServerConfig();
    assertThat(config.podCidr()).isEqualTo("10.244.0.0/16");
    assertThat(config.serviceCidr()).isEqualTo("10.96.0.0/12");
    assertThat(config.clusterDomain()).isEqualTo("cluster.local");
    assertThat(config.offline()).isFalse();
    assertThat(config.runNodeAgent()).isTrue();
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(settings.source(key)).isEqualTo("default");
    }
  }

  @Test
  void everyKeyOfAFileIsReadWithItsLine() throws Exception {
    Path file = file("""
        # comment
        data-dir: /srv/mc
        api-port: 7443
        bind-address: 127.0.0.1
        node-name: node-a
        pod-cidr: 10.200.0.0/16
        service-cidr: 10.100.0.0/16
        cluster-domain: example.internal
        pod-network: mc-test
        socks-port: -1
        socks-bind-address: 192.168.1.10
        socks-user: alice:secret
        socks-allow-client: [192.168.1.0/24, 10.0.0.1]
        socks-allow:
          - 172.16.0.0/12
        sandbox-image: example.org/pause:1
        offline: true
        node-agent: no
        """);
    Settings settings = Settings.load(file, Map.of());
    ServerConfig config = settings.toServerConfig();
    assertThat(config.dataDir()).isEqualTo(Path.of("/srv/mc"));
    assertThat(config.apiPort()).isEqualTo(7443);
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.nodeName()).isEqualTo("node-a");
    assertThat(config.podCidr()).isEqualTo("10.200.0.0/16");
    assertThat(config.serviceCidr()).isEqualTo("10.100.0.0/16");
    assertThat(config.clusterDomain()).isEqualTo("example.internal");
    assertThat(config.podNetwork()).isEqualTo("mc-test");
    assertThat(config.socksPort()).isEqualTo(-1);
    assertThat(config.socksBindAddress()).isEqualTo("192.168.1.10");
    assertThat(config.socksCredentials()).isEqualTo("alice:secret");
    assertThat(config.socksAllowedClients()).containsExactly("192.168.1.0/24", "10.0.0.1");
    assertThat(config.socksExtraDestinations()).containsExactly("172.16.0.0/12");
    assertThat(config.sandboxImage()).isEqualTo("example.org/pause:1");
    assertThat(config.offline()).isTrue();
    assertThat(config.runNodeAgent()).isFalse();
    assertThat(settings.source(ConfigKey.API_PORT)).isEqualTo(file + ":3");
    assertThat(settings.source(ConfigKey.SOCKS_ALLOW)).isEqualTo(file + ":15");
  }

  @Test
  void flagsOverrideTheFileAndTheFileOverridesDefaults() throws Exception {
    Path file = file("api-port: 7443\nsocks-port: 1081\nsocks-allow: [10.1.0.0/16]\noffline: true\n");
    Map<ConfigKey, Object> flags = new EnumMap<>(ConfigKey.class);
    flags.put(ConfigKey.API_PORT, "8443");
    flags.put(ConfigKey.SOCKS_ALLOW, List.of("10.2.0.0/16", "10.3.0.0/16"));
    flags.put(ConfigKey.OFFLINE, false);
    flags.put(ConfigKey.DATA_DIR, "relative/dir");
    Settings settings = Settings.load(file, flags);
    assertThat(settings.apiPort()).isEqualTo(8443);
    assertThat(settings.source(ConfigKey.API_PORT)).isEqualTo("--api-port");
    assertThat(settings.socksPort()).isEqualTo(1081);
    assertThat(settings.source(ConfigKey.SOCKS_PORT)).isEqualTo(file + ":2");
    assertThat(settings.socksAllowedDestinations()).containsExactly("10.2.0.0/16", "10.3.0.0/16");
    assertThat(settings.toServerConfig().offline()).isFalse();
    assertThat(settings.dataDir()).isEqualTo(Path.of("relative/dir").toAbsolutePath());
    assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void anUnknownKeyNamesFileLineAndTheLikelyKey() throws Exception {
    Path file = file("api-port: 6443\n\n# a comment\nsocks-port: 1080\n\n\napi-prot: 7443\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":7: unknown key \"api-prot\" (did you mean \"api-port\"?)");
  }

  @Test
  void unknownKeysWithoutACloseMatchSayWhatToDo() throws Exception {
    assertThatThrownBy(() -> Settings.load(file("colour: blue\n"), Map.of()))
        .hasMessageStartingWith(temporary.resolve("config.yaml") + ":1: unknown key \"colour\": remove it");
    assertThatThrownBy(() -> Settings.load(file("no-node-agent: true\n"), Map.of()))
        .hasMessageEndingWith("unknown key \"no-node-agent\" (did you mean \"node-agent: false\"?)");
    assertThatThrownBy(() -> Settings.load(file("--api-port: 1\n"), Map.of()))
        .hasMessageContaining("(did you mean \"api-port\"? keys have no leading dashes)");
  }

  @Test
  void aBadValueNamesFileLineKeyAndWhatToUse() throws Exception {
    Path file = file("api-port: 6443\nsocks-port: 70000\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":2: bad value for socks-port: \"70000\" is not a port number: use 1-65535, or -1 to "
            + "disable");
    assertThatThrownBy(() -> Settings.load(file("pod-cidr: 10.244.0.0\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for pod-cidr: \"10.244.0.0\" is not an IPv4 network");
    assertThatThrownBy(() -> Settings.load(file("bind-address: localhost\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for bind-address: \"localhost\" is not an IP address");
    assertThatThrownBy(() -> Settings.load(file("offline: maybe\n"), Map.of()))
        .hasMessage(file + ":1: bad value for offline: \"maybe\" is not a boolean: use true or false");
    assertThatThrownBy(() -> Settings.load(file("node-name: Node_A\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for node-name: \"Node_A\" is not a lower-case DNS name");
    assertThatThrownBy(() -> Settings.load(file("data-dir: var/lib\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for data-dir: \"var/lib\" is not an absolute path");
    assertThatThrownBy(() -> Settings.load(file("socks-user: alice\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for socks-user: the value is not user:password");
    assertThatThrownBy(() -> Settings.load(file("pod-network: bridge\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for pod-network: \"bridge\" is not a usable Docker network");
    assertThatThrownBy(() -> Settings.load(file("api-port: [1, 2]\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: bad value for api-port: a list is given");
    assertThatThrownBy(() -> Settings.load(file("socks-allow:\n  - 10.0.0.0/8\n  - nonsense\n"), Map.of()))
        .hasMessageStartingWith(file + ":2: bad value for socks-allow: \"nonsense\" is not an IP network");
  }

  @Test
  void malformedYamlNamesFileLineAndColumn() throws Exception {
    Path file = file("api-port: 6443\nsocks-port: [1080\nnode-name: a\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageMatching("\\Q" + file + "\\E:\\d+:\\d+: malformed YAML: .*");
    Path tabs = file("api-port: 6443\n\tsocks-port: 1080\n");
    assertThatThrownBy(() -> Settings.load(tabs, Map.of()))
        .hasMessageStartingWith(tabs + ":2:1: malformed YAML: ");
  }

  @Test
  void duplicateKeysAndNonMappingsAreRefused() throws Exception {
    Path file = file("api-port: 6443\nsocks-port: 1\napi-port: 7443\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of()))
        .hasMessage(file + ":3: duplicate key \"api-port\" (first set on line 1): keep one of them");
    assertThatThrownBy(() -> Settings.load(file("- api-port\n"), Map.of()))
        .hasMessageStartingWith(file + ":1: the configuration must be a mapping");
  }

  @Test
  void emptyFilesAndEmptyValuesKeepTheDefaults() throws Exception {
    assertThat(Settings.load(file(""), Map.of()).apiPort()).isEqualTo(6443);
    assertThat(Settings.load(file("# nothing\n"), Map.of()).apiPort()).isEqualTo(6443);
    Settings settings = Settings.load(file("api-port:\nsocks-user: ~\n"), Map.of());
    assertThat(settings.apiPort()).isEqualTo(6443);
    assertThat(settings.source(ConfigKey.API_PORT)).isEqualTo("default");
    assertThat(settings.socksUser()).isNull();
  }

  @Test
  void aMissingOrUnreadableFileSaysSo() {
    Path missing = temporary.resolve("missing.yaml");
    assertThatThrownBy(() -> Settings.load(missing, Map.of()))
        .hasMessageStartingWith(missing + ": no such file");
  }

  @Test
  void badFlagsNameTheFlag() {
    assertThatThrownBy(() -> Settings.load(null, Map.of(ConfigKey.API_PORT, "https")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--api-port: \"https\" is not a port number: use 1-65535");
    assertThatThrownBy(() -> Settings.load(null, Map.of(ConfigKey.SOCKS_ALLOW_CLIENT, List.of("10.0.0.0/8", "x"))))
        .hasMessageStartingWith("--socks-allow-client: \"x\" is not an IP network");
  }

  @Test
  void overlappingNetworksAreRefused() throws Exception {
    Path file = file("service-cidr: 10.244.128.0/20\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of()))
        .hasMessage(file + ":1: pod-cidr 10.244.0.0/16 and service-cidr 10.244.128.0/20 overlap: choose networks "
            + "that do not (defaults: 10.244.0.0/16 and 10.96.0.0/12)");
  }

  @Test
  void anExposedSocksGatewayNeedsCredentialsOrAnAllowList() throws Exception {
    Path file = file("socks-bind-address: 0.0.0.0\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of()))
        .hasMessageStartingWith(file + ":1: socks-bind-address 0.0.0.0 is not loopback, and neither socks-user nor "
            + "socks-allow-client is set");
    assertThat(Settings.load(file("socks-bind-address: 0.0.0.0\nsocks-user: a:b\n"), Map.of()).socksUser())
        .isEqualTo("a:b");
    assertThat(Settings.load(file("socks-bind-address: 0.0.0.0\nsocks-allow-client: 10.0.0.0/8\n"), Map.of())
        .socksAllowedClients()).containsExactly("10.0.0.0/8");
    assertThat(Settings.load(file("socks-bind-address: 0.0.0.0\nsocks-port: -1\n"), Map.of()).socksPort())
        .isEqualTo(-1);
  }

  @Test
  void theSampleFileGivesTheDefaultsAndDocumentsEveryKeyWithItsDefault() throws Exception {
    String sample = sample();
    Settings loaded = Settings.load(file(sample), Map.of());
    Settings defaults = Settings.defaults();
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(loaded.get(key)).as(key.key()).isEqualTo(defaults.get(key));
      String commented = "\n#" + key.key() + ":";
      assertThat(sample).as("the sample documents " + key.key()).contains(commented);
      if (key.defaultText() != null) {
        assertThat(sample).as("the sample shows the default of " + key.key())
            .contains(commented + " " + key.defaultText() + "\n");
      }
    }
    // uncommenting every key that has a default changes nothing: the documented defaults are the real ones
    StringBuilder uncommented = new StringBuilder();
    for (String line : sample.split("\n")) {
      ConfigKey key = line.startsWith("#") && line.contains(":")
          ? ConfigKey.byKey(line.substring(1, line.indexOf(':'))) : null;
      boolean hasDefault = key != null && (key.defaultText() != null || key.list());
      uncommented.append(hasDefault ? line.substring(1) : line).append('\n');
    }
    Settings explicit = Settings.load(file(uncommented.toString()), Map.of());
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(explicit.get(key)).as(key.key()).isEqualTo(defaults.get(key));
    }
    assertThat(explicit.source(ConfigKey.API_PORT)).isNotEqualTo("default");
  }

  @Test
  void printedConfigurationReadsBackToTheSameSettings() throws Exception {
    Path file = file("api-port: 7443\nbind-address: '::'\nsocks-allow: [10.1.0.0/16, 10.2.0.0/16]\n"
        + "node-name: node-b\nsocks-idle-timeout: 90s\n");
    Settings settings = Settings.load(file, Map.of(ConfigKey.OFFLINE, true));
    String printed = settings.render();
    assertThat(printed).contains("api-port: 7443").contains(file + ":1").contains("# --offline")
        .contains("offline: true");
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(printed).contains("\n" + key.key() + ":");
    }
    Settings again = Settings.load(file(printed), Map.of());
    for (ConfigKey key : ConfigKey.values()) {
      if (key != ConfigKey.CLUSTER_DNS) {
        assertThat(again.get(key)).as(key.key()).isEqualTo(settings.get(key));
      }
    }
    // the derived default is printed as the value it stands for
    assertThat(printed).contains("cluster-dns: 10.96.0.10");
    assertThat(again.clusterDns()).isEqualTo(settings.clusterDns()).isEqualTo("10.96.0.10");
  }

  @Test
  void theClusterDnsIsTheTenthAddressOfTheServiceNetworkAndMustBeInIt() throws Exception {
    assertThat(Settings.load(file("service-cidr: 10.100.0.0/16\n"), Map.of()).clusterDns()).isEqualTo("10.100.0.10");
    assertThat(Settings.load(file("cluster-dns: 10.96.0.53\n"), Map.of()).toServerConfig().clusterDns())
        .isEqualTo("10.96.0.53");
    Path outside = file("cluster-dns: 10.200.0.10\n");
    assertThatThrownBy(() -> Settings.load(outside, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage(outside + ":1: cluster-dns 10.200.0.10 is not an address of service-cidr 10.96.0.0/12 other "
            + "than its first two (the network and the kubernetes service): choose one inside it (default: "
            + "10.96.0.10 in 10.96.0.0/12)");
    assertThat(Settings.load(file("cluster-dns-upstream: [127.0.0.1:5353, '[::1]:53', 192.0.2.1]\n"), Map.of())
        .clusterDnsUpstreams()).containsExactly("127.0.0.1:5353", "[::1]:53", "192.0.2.1");
    assertThatThrownBy(() -> Settings.load(file("cluster-dns-upstream: [dns.example]\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("\"dns.example\" is not an IP address with an "
            + "optional port");
  }

  @Test
  void theGatewaysIdleTimeoutIsADurationAndNoneByDefault() throws Exception {
    assertThat(Settings.load(null, Map.of()).toServerConfig().socksIdleTimeout()).isEqualTo(Duration.ZERO);
    assertThat(Settings.load(file("socks-idle-timeout: 30m\n"), Map.of()).toServerConfig().socksIdleTimeout())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(Settings.load(file("socks-idle-timeout: 1500ms\n"), Map.of()).render())
        .contains("socks-idle-timeout: 1500ms");
    assertThat(Settings.load(file("socks-idle-timeout: 2h\n"), Map.of()).render())
        .contains("socks-idle-timeout: 2h");
    Path file = file("socks-idle-timeout: 30 minutes\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of())).hasMessage(file + ":1: bad value for socks-idle-timeout: "
        + "\"30 minutes\" is not a duration: use a number with a unit, e.g. 90s, 30m or 2h (0: never)");
  }

  @Test
  void printedConfigurationHidesTheSocksPassword() throws Exception {
    String printed = Settings.load(file("socks-user: alice:s3cret\n"), Map.of()).render();
    assertThat(printed).contains("socks-user: alice:********").doesNotContain("s3cret");
  }
}

package io.minicluster.cli;

import io.minicluster.config.ConfigException;
import io.minicluster.config.ConfigKey;
import io.minicluster.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config}, {@code --no-config} and {@code --data-dir}, shared by every command that finds the daemon. */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (YAML; keys are the server flags without dashes). Default: "
          + "/etc/minicluster/config.yaml when it exists.")
  Path config;

  @Option(names = "--no-config", description = "Read no configuration file, not even /etc/minicluster/config.yaml.")
  boolean noConfig;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "State directory (default: data-dir of the configuration, else /var/lib/minicluster).")
  Path dataDir;

  /** The configuration file to read, or null. */
  Path file() {
    return Settings.chooseFile(config, noConfig);
  }

  /** The settings of file and these options, plus {@code flags}. */
  Settings load(Map<ConfigKey, ?> flags) throws ConfigException {
    Map<ConfigKey, Object> all = new EnumMap<>(ConfigKey.class);
    all.putAll(flags);
    if (dataDir != null) {
      all.put(ConfigKey.DATA_DIR, dataDir.toString());
    }
    return Settings.load(file(), all);
  }

  Settings load() throws ConfigException {
    return load(Map.of());
  }

  /** These options as arguments for another minicluster command. */
  List<String> arguments() {
    List<String> arguments = new ArrayList<>();
    Path file = file();
    if (file != null) {
      arguments.addAll(List.of("--config", file.toString()));
    } else {
      arguments.add("--no-config");
    }
    if (dataDir != null) {
      arguments.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
    }
    return arguments;
  }
}

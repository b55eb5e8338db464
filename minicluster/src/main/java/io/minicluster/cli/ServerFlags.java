package io.minicluster.cli;

import io.minicluster.config.ConfigKey;
import io.minicluster.config.ValueType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code minicluster server} flags, one per {@link ConfigKey} (but data-dir, which {@link ConfigOptions} has):
 * {@code --KEY VALUE}, repeatable for lists, {@code --KEY}/{@code --no-KEY} for booleans. Built from the keys so that
 * flags, configuration file, sample and {@code --print-config} cannot drift apart.
 */
final class ServerFlags {
  private ServerFlags() {}

  /** Adds the flags to the server command. */
  static void addTo(CommandSpec spec) {
    for (ConfigKey key : ConfigKey.values()) {
      if (key == ConfigKey.DATA_DIR) {
        continue;
      }
      String defaultText = key.defaultText() == null ? null : key.defaultText();
      String suffix = " (key " + key.key() + (defaultText == null ? "" : "; default: " + defaultText) + ")";
      OptionSpec.Builder option = OptionSpec.builder(key.flag()).description(key.description() + suffix);
      if (key.type() == ValueType.BOOLEAN) {
        option.type(Boolean.class).negatable(true).arity("0");
      } else if (key.list()) {
        option.type(List.class).auxiliaryTypes(String.class).paramLabel(label(key.type()))
            .description(key.description() + " Repeatable; replaces the file's list." + suffix);
      } else {
        option.type(String.class).paramLabel(label(key.type()));
      }
      spec.addOption(option.build());
    }
  }

  /** The flags given on the command line, by key (absent: not given). */
  static Map<ConfigKey, Object> values(CommandSpec spec) {
    Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      OptionSpec option = spec.findOption(key.flag());
      if (option != null && key != ConfigKey.DATA_DIR && option.getValue() != null) {
        values.put(key, option.getValue());
      }
    }
    return values;
  }

  private static String label(ValueType type) {
    return switch (type) {
      case PORT, PORT_OR_OFF -> "PORT";
      case IP_ADDRESS -> "ADDRESS";
      case DNS_UPSTREAM -> "ADDRESS[:PORT]";
      case IPV4_CIDR, CIDR -> "CIDR";
      case DNS_NAME -> "NAME";
      case NETWORK_NAME -> "NETWORK";
      case CREDENTIALS -> "USER:PASSWORD";
      case IMAGE -> "IMAGE";
      case DURATION -> "DURATION";
      case ABSOLUTE_PATH -> "DIR";
      case BOOLEAN -> "";
    };
  }
}

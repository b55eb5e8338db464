package io.minicluster.config;

import static java.util.Objects.requireNonNull;

/**
 * A configuration the daemon refuses: an unknown key, a bad value, malformed YAML or an unreadable file. The message
 * is one line that names where (file and line, or the flag) and what to change; start-up stops before anything is
 * created.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(requireNonNull(message, "message is null"));
  }
}

package io.minicluster.agent;

/**
 * A container cannot be configured (missing ConfigMap or Secret key, bad field path): the container waits with reason
 * {@code CreateContainerConfigError} and this message.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}

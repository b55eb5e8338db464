package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * Credentials for one registry, as found in a {@code kubernetes.io/dockerconfigjson} pull secret.
 *
 * @param serverAddress registry host (e.g. "registry.example:5000" or "https://index.docker.io/v1/")
 * @param username user name, may be empty when {@code identityToken} is used
 * @param password password, may be empty
 * @param identityToken bearer identity token, may be empty
 */
public record RegistryAuth(String serverAddress, String username, String password, String identityToken) {
  public RegistryAuth {
    requireNonNull(serverAddress, "serverAddress is null");
    requireNonNull(username, "username is null");
    requireNonNull(password, "password is null");
    requireNonNull(identityToken, "identityToken is null");
  }

  @Override
  public String toString() {
    return "RegistryAuth[serverAddress=" + serverAddress + ", username=" + username + "]";
  }
}

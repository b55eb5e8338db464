package io.minicluster.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from the filtered resource. */
public final class Version {
  private Version() {}

  public static String version() {
    try (InputStream in = Version.class.getResourceAsStream("/io/minicluster/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The Kubernetes version the API serves, as /version reports it. */
  public static final String KUBERNETES_VERSION = "v1.35.0";
}

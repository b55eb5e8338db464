package io.minicluster.controller.testing;

import io.minicluster.client.Client;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of controller tests: each test gets a fresh {@link TestCluster} in its own temporary directory, opened before
 * the subclass's {@code @BeforeEach} methods run and closed after its {@code @AfterEach} methods.
 */
public abstract class ClusterTest {
  @TempDir
  protected Path directory;
  protected TestCluster cluster;
  protected Client client;

  @BeforeEach
  protected final void openCluster() {
    cluster = new TestCluster(directory);
    client = cluster.client();
  }

  @AfterEach
  protected final void closeCluster() {
    cluster.close();
  }
}

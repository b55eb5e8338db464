package io.minicluster.testing;

import io.minicluster.client.Client;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of registry-level tests: each test gets a fresh {@link InProcessApi} in its own temporary directory, opened
 * before the subclass's {@code @BeforeEach} methods run and closed after its {@code @AfterEach} methods.
 */
public abstract class InProcessApiTest {
  @TempDir
  protected Path directory;
  protected InProcessApi api;
  protected Client client;

  @BeforeEach
  protected final void openApi() {
    api = InProcessApi.open(directory, Clock.systemUTC());
    client = api.client();
  }

  @AfterEach
  protected final void closeApi() {
    api.close();
  }
}

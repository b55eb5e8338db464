package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Python client's WebSocket streams (Debian's python3-kubernetes) against a live daemon with its node
 * agent: exec with stdin written as text and binary frames under {@code v4.channel.k8s.io}, the exit code from the
 * status channel, and port-forward over WebSocket channels to an HTTP server in a pod. The script is
 * src/test/resources/e2e/python_client_streams.py. Fails, never skips, without /usr/bin/python3 (or
 * $PYTHON_K8S_CLIENT) and the package.
 */
class PythonClientStreamsIT {
  /** Debian's interpreter, which python3-kubernetes installs into (a pyenv python3 may come first on the PATH). */
  private static final String PYTHON = System.getenv().getOrDefault("PYTHON_K8S_CLIENT", "/usr/bin/python3");

  @TempDir
  Path temp;

  @Test
  void execStdinAndPortForwardOverWebSocket() throws Exception {
    HostTools.Result module = HostTools.run(List.of(PYTHON, "-c", "import kubernetes"), 60);
    module.assertOk("python3 with the kubernetes package (Debian: python3-kubernetes) is required");
    Path script = temp.resolve("python_client_streams.py");
    try (var in = Objects.requireNonNull(getClass().getResourceAsStream("/e2e/python_client_streams.py"))) {
      Files.copy(in, script);
    }
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-python-streams")) {
      HostTools.Result run = HostTools.run(List.of(PYTHON, script.toString(),
          cluster.daemon().kubeconfig().toString()), 180);
      run.assertOk("the Python client streams script");
      assertThat(run.stdout()).contains("ready",
          "exec stdin 'text frame line' 'binary frame line'",
          "exec exit 'out' 3",
          "portforward 200 | hello from httpd | error None",
          "deleted");
    }
  }
}

package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Python client (Debian's python3-kubernetes, installed by .ci/run) against a live daemon with its node
 * agent: the OpenAPI-generated models reject objects that lack fields Go always sends, and the client sends
 * {@code watch=True}. The script is src/test/resources/e2e/python_client_check.py. Fails, never skips, without
 * /usr/bin/python3 (or $PYTHON_K8S_CLIENT) and the package.
 */
class PythonClientIT {
  /** Debian's interpreter, which python3-kubernetes installs into (a pyenv python3 may come first on the PATH). */
  private static final String PYTHON = System.getenv().getOrDefault("PYTHON_K8S_CLIENT", "/usr/bin/python3");

  @TempDir
  Path temp;

  @Test
  void pythonClientRunsThroughTheScript() throws Exception {
    HostTools.Result module = HostTools.run(List.of(PYTHON, "-c", "import kubernetes"), 60);
    module.assertOk("python3 with the kubernetes package (Debian: python3-kubernetes) is required");
    Path script = temp.resolve("python_client_check.py");
    try (var in = Objects.requireNonNull(getClass().getResourceAsStream("/e2e/python_client_check.py"))) {
      Files.copy(in, script);
    }
    try (NodeCluster cluster = NodeCluster.start(temp, "e2e-python")) {
      HostTools.Result run = HostTools.run(List.of(PYTHON, script.toString(),
          cluster.daemon().kubeconfig().toString()), 180);
      run.assertOk("the Python client script");
      String out = run.stdout();
      assertThat(out).contains("version v1.35", "node e2e-python docker://", "'Ready'", "namespaces ['default',",
          "services ['kube-dns', 'kubernetes']", "watch ADDED:Pending", ":Running", "log hello from python-client",
          "duplicate 409 Conflict", "events True", "deleted");
    }
  }
}

package io.minicluster.agent.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ContainerSpec;
import io.minicluster.agent.runtime.ContainerState;
import io.minicluster.agent.runtime.ImagePullException;
import io.minicluster.agent.runtime.RuntimeEvent;
import io.minicluster.agent.runtime.RuntimeLabels;
import io.minicluster.agent.runtime.SandboxInfo;
import io.minicluster.agent.runtime.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FakeContainerRuntimeTest {
  @Test
  void podLifecycleEmitsEventsAndTracksState() throws Exception {
    FakeContainerRuntime runtime = new FakeContainerRuntime();
    List<RuntimeEvent> events = new ArrayList<>();
    runtime.events(events::add);
    SandboxInfo sandbox = runtime.runSandbox(SandboxSpec.builder("u", "p", "ns").build());
    assertThat(sandbox.ipAddress()).startsWith("10.244.");
    ContainerSpec spec = ContainerSpec.builder("u", "p", "ns", "c").sandboxId(sandbox.id()).image("mongo").build();
    assertThatThrownBy(() -> runtime.createContainer(spec)).isInstanceOf(ContainerRuntimeException.class);
    assertThatThrownBy(() -> runtime.pullImage("mongo", Optional.empty())).isInstanceOf(ImagePullException.class);
    runtime.addImage("docker.io/library/mongo:latest");
    String id = runtime.createContainer(spec);
    runtime.startContainer(id);
    runtime.exit(id, 137, true);
    assertThat(runtime.inspect(id).orElseThrow().oomKilled()).isTrue();
    assertThat(runtime.inspect(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    assertThat(runtime.listContainers(Map.of(RuntimeLabels.TYPE, RuntimeLabels.TYPE_CONTAINER))).hasSize(1);
    runtime.removeContainer(id);
    assertThat(events).extracting(RuntimeEvent::type).containsSubsequence(RuntimeEvent.Type.START,
        RuntimeEvent.Type.OOM, RuntimeEvent.Type.DIE, RuntimeEvent.Type.DESTROY);
    assertThat(events.get(events.size() - 1).podUid()).isEqualTo("u");
    assertThat(runtime.calls()).contains("startContainer " + id);
  }
}

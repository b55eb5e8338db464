package io.minicluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hairpin mode goes on for the ports of the bridge holding the pod network, and nowhere else. */
class BridgeHairpinTest {
  @TempDir
  Path sys;

  private Path port(String bridge, String port, String mode) throws Exception {
    Path file = sys.resolve(bridge).resolve("brif").resolve(port).resolve("hairpin_mode");
    Files.createDirectories(file.getParent());
    Files.writeString(file, mode + "\n");
    return file;
  }

  @Test
  void onlyThePodBridgesPortsThatAreOffAreTurnedOn() throws Exception {
    Path podA = port("br-pods", "veth1", "0");
    Path podB = port("br-pods", "veth2", "1");
    Path other = port("docker0", "veth3", "0");
    Files.createDirectories(sys.resolve("eth0"));
    Map<String, List<String>> addresses = Map.of("br-pods", List.of("10.244.0.1"), "docker0", List.of("172.17.0.1"),
        "eth0", List.of("10.244.9.9"));
    BridgeHairpin hairpin = new BridgeHairpin(sys, "10.244.0.0/16",
        name -> addresses.getOrDefault(name, List.of()));

    assertThat(hairpin.enable()).containsExactly("br-pods/veth1");
    assertThat(Files.readString(podA)).isEqualTo("1");
    assertThat(Files.readString(podB)).isEqualTo("1\n");
    assertThat(Files.readString(other)).isEqualTo("0\n");
    assertThat(hairpin.enable()).as("nothing left to change").isEmpty();
  }

  @Test
  void noSysfsIsNoFailure() {
    assertThat(new BridgeHairpin(sys.resolve("missing"), "10.244.0.0/16", name -> List.of()).enable()).isEmpty();
  }
}

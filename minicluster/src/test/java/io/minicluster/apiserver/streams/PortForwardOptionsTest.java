package io.minicluster.apiserver.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortForwardOptionsTest {

  @Test
  void portsAreCommaSeparatedOrRepeated() {
    PortForwardOptions options = PortForwardOptions.parse("/x/portforward?ports=80,8080&ports=080&ports=65535");

    assertThat(options.ports()).containsExactly(80, 8080, 80, 65535);
    assertThat(options.joined()).isEqualTo("80,8080,080,65535");
  }

  @Test
  void noPortsIsNotAnErrorUntilAWebSocketNeedsThem() {
    PortForwardOptions options = PortForwardOptions.parse("/x/portforward");

    assertThat(options.ports()).isEmpty();
    assertThatThrownBy(options::requireForWebSocket).isInstanceOf(UpgradeRefusal.class)
        .hasMessage("query parameter \"port\" is required");
    assertThatThrownBy(() -> new PortForwardOptions(List.of(80, 0), "80,0").requireForWebSocket())
        .hasMessage("port \"80,0\" must be > 0");
  }

  @Test
  void valuesThatAreNotPortNumbersAreBadRequestsWithGosMessages() {
    assertThatThrownBy(() -> PortForwardOptions.parse("/x?ports=http")).isInstanceOf(ApiException.class)
        .hasMessage("cannot convert to []int32: strconv.ParseUint: parsing \"http\": invalid syntax");
    assertThatThrownBy(() -> PortForwardOptions.parse("/x?ports=80,,81"))
        .hasMessage("cannot convert to []int32: strconv.ParseUint: parsing \"\": invalid syntax");
    assertThatThrownBy(() -> PortForwardOptions.parse("/x?ports=-1"))
        .hasMessage("cannot convert to []int32: strconv.ParseUint: parsing \"-1\": invalid syntax");
    assertThatThrownBy(() -> PortForwardOptions.parse("/x?ports=65536"))
        .hasMessage("cannot convert to []int32: strconv.ParseUint: parsing \"65536\": value out of range");
    assertThatThrownBy(() -> PortForwardOptions.parse("/x?ports=123456789012345678901234"))
        .hasMessage("cannot convert to []int32: strconv.ParseUint: parsing \"123456789012345678901234\": "
            + "value out of range");
    assertThatThrownBy(() -> PortForwardOptions.parse("/x?ports=x"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }
}

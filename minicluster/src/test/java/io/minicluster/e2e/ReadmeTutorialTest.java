package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.e2e.ReadmeTutorial.Mark;
import io.minicluster.e2e.ReadmeTutorial.Step;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the README walkthrough reads the tutorial's blocks and compares outputs, and that the README is readable. */
class ReadmeTutorialTest {
  private static final String README = """
      # project

      ```sh
      not part of the tutorial
      ```

      ## Tutorial

      Intro.

      ### First

      ```sh
      kubectl get nodes
      ```

      ```text
      NAME   STATUS
      vm     Ready
      ```

      ```json
      {"kind": "Pod"}
      ```

      ### Second

      ```sh walkthrough:skip-workstation
      ssh -L 1080:127.0.0.1:1080 user@vm
      ```

      Prose.

      ```sh
      echo one
      echo two
      ```

      ## Test it

      ```sh
      .ci/run
      ```
      """;

  @Test
  void commandBlocksOfTheSectionWithTheirMarksAndOutputs() {
    List<Step> steps = ReadmeTutorial.steps(README);
    assertThat(steps).containsExactly(
        new Step(13, "First", "kubectl get nodes\n", Optional.empty(), List.of("NAME   STATUS", "vm     Ready")),
        new Step(28, "Second", "ssh -L 1080:127.0.0.1:1080 user@vm\n", Optional.of(Mark.SKIP_WORKSTATION),
            List.of()),
        new Step(34, "Second", "echo one\necho two\n", Optional.empty(), List.of()));
  }

  @Test
  void anOutputBlockAfterProseIsAnError() {
    String markdown = README.replace("```sh\nkubectl get nodes\n```\n", "```sh\nkubectl get nodes\n```\nProse.\n");
    assertThatThrownBy(() -> ReadmeTutorial.steps(markdown)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("README line 18: an output block must follow a command block (only blank lines between)");
  }

  @Test
  void unknownMarksAndUnclosedFencesAreErrors() {
    assertThatThrownBy(() -> ReadmeTutorial.steps(README.replace("walkthrough:skip-workstation",
        "walkthrough:skip-this"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("README line 28: unknown mark \"walkthrough:skip-this\"");
    assertThatThrownBy(() -> ReadmeTutorial.steps("## Tutorial\n\n```sh\nls\n")).isInstanceOf(
        IllegalArgumentException.class).hasMessage("README line 3: the fence is not closed");
    assertThatThrownBy(() -> ReadmeTutorial.steps("## Other\n")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the README has no \"## Tutorial\" section");
  }

  @Test
  void outputsMatchAcrossAgesAddressesGeneratedNamesAndColumnWidths() {
    List<String> shown = List.of(
        "NAME              READY   STATUS    RESTARTS   AGE   IP           NODE",
        "telescope-pfqkf   2/2     Running   0          3s    10.244.0.4   vm",
        "telescope-5844b59586-bd7rp   2/2     Running   0          2m10s",
        "backup written to .../telescope-backup.tar.gz (mode 0600): ... objects at revision ...");
    String output = """
        NAME                READY   STATUS    RESTARTS   AGE    IP              NODE
        telescope-x7k2p     2/2     Running   0          117s   10.231.17.204   vm
        telescope-5b5d49889f-gm7x6   2/2     Running   0          12s
        backup written to /tmp/w/telescope-backup.tar.gz (mode 0600): 143 objects at revision 319
        """;
    assertThat(ExpectedOutput.firstMissing(shown, output)).isEmpty();
  }

  @Test
  void aDifferentValueOrOrderIsMissing() {
    String output = """
        NAME              READY   STATUS    RESTARTS   AGE
        telescope-pfqkf   0/2     Pending   0          1s
        pod/telescope-pod created
        """;
    assertThat(ExpectedOutput.firstMissing(List.of("telescope-pfqkf   2/2     Running   0          1s"), output))
        .hasValueSatisfying(message -> assertThat(message).startsWith("\"telescope-pfqkf   2/2     Running"));
    assertThat(ExpectedOutput.firstMissing(List.of("pod/telescope-pod created", "NAME READY STATUS RESTARTS AGE"),
        output)).isPresent();
    assertThat(ExpectedOutput.firstMissing(List.of("pod/telescope-pod"), output)).as("whole lines only")
        .isPresent();
    assertThat(ExpectedOutput.firstMissing(List.of("telescope-pfqkf 0/2 Pending 0 1s", "telescope-pfqkf 0/2 Pending"
        + " 0 1s"), output)).as("each shown line needs a line of its own").isPresent();
    assertThat(ExpectedOutput.firstMissing(List.of("telescope-abcde 0/2 Pending 0 1s"), output))
        .as("a name that is not generated is compared as it is").isPresent();
  }

  @Test
  void theReadmeTutorialParsesWithTheMarksTheWalkthroughExpects() throws Exception {
    List<Step> steps = ReadmeTutorial.steps(ReadmeTutorial.readme());
    Map<Mark, Integer> marks = new EnumMap<>(Mark.class);
    steps.forEach(step -> step.mark().ifPresent(mark -> marks.merge(mark, 1, Integer::sum)));
    assertThat(marks).isEqualTo(ReadmeWalkthroughIT.NOT_RUN);
    assertThat(steps.stream().filter(step -> step.mark().isEmpty())).as("blocks the walkthrough runs")
        .hasSizeGreaterThan(10);
  }
}

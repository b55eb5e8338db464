package io.minicluster.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The command blocks of the README's tutorial section, in order, as {@link ReadmeWalkthroughIT} runs them.
 *
 * <p>The section runs from its {@code ## Tutorial} heading to the next {@code ## } heading. Every fenced block there
 * whose info string starts with {@code sh} is one step: a shell script run as a whole. A {@code text} block that
 * follows it (only blank lines between) is the output to expect. The info string of a {@code sh} block may carry
 * one mark, for blocks a test cannot run: {@code walkthrough:skip-workstation} (runs on another machine, e.g. the
 * {@code ssh -L} line), {@code walkthrough:skip-installer} (the installer scripts, tested by the installer's own
 * tests). GitHub highlights
 * by the first word only, so the marks do not show. Blocks of other languages (a manifest shown as {@code json}) are
 * not steps; a {@code text} block after anything but a command block, an unknown mark or an unclosed fence is an
 * error, so that the README cannot drift out of what the test runs.
 */
final class ReadmeTutorial {
  static final String SECTION = "## Tutorial";
  private static final String MARK_PREFIX = "walkthrough:";

  /** Why a block is not run. */
  enum Mark {
    SKIP_WORKSTATION("skip-workstation"),
    SKIP_INSTALLER("skip-installer");

    private final String word;

    Mark(String word) {
      this.word = word;
    }

    String word() {
      return MARK_PREFIX + word;
    }

    static Mark parse(String word, int line) {
      for (Mark mark : values()) {
        if (mark.word().equals(word)) {
          return mark;
        }
      }
      throw new IllegalArgumentException("README line " + line + ": unknown mark \"" + word + "\" (known: "
          + Arrays.stream(values()).map(Mark::word).toList() + ")");
    }
  }

  /**
   * One command block.
   *
   * @param line the README line of its opening fence
   * @param heading the {@code ###} heading it is under (or the section's)
   * @param script the block's text, run as one shell script
   * @param mark why it is not run, if it is not
   * @param expected the lines of the {@code text} block that follows it (empty: none)
   */
  record Step(int line, String heading, String script, Optional<Mark> mark, List<String> expected) {
    Step {
      requireNonNull(heading, "heading is null");
      requireNonNull(script, "script is null");
      requireNonNull(mark, "mark is null");
      expected = List.copyOf(expected);
    }

    Step withExpected(List<String> lines) {
      return new Step(line, heading, script, mark, lines);
    }

    /** "line 123 (A pod)", for messages. */
    String where() {
      return "README line " + line + " (" + heading + ")";
    }
  }

  private ReadmeTutorial() {}

  /** The README of this checkout (the test's working directory is the module or the repository). */
  static Path readme() {
    Path path = Paths.get("..", "README.md");
    return Files.exists(path.resolveSibling("examples")) ? path : Paths.get("README.md");
  }

  static List<Step> steps(Path readme) throws IOException {
    return steps(Files.readString(readme));
  }

  /** The steps of the tutorial section of {@code markdown}. */
  static List<Step> steps(String markdown) {
    List<String> lines = markdown.lines().toList();
    int start = lines.indexOf(SECTION);
    if (start < 0) {
      throw new IllegalArgumentException("the README has no \"" + SECTION + "\" section");
    }
    List<Step> steps = new ArrayList<>();
    String heading = SECTION.substring(3);
    boolean lastWasCommands = false;
    for (int index = start + 1; index < lines.size(); index++) {
      String line = lines.get(index);
      if (line.startsWith("## ")) {
        break;
      }
      if (line.startsWith("### ")) {
        heading = line.substring(4).trim();
        lastWasCommands = false;
        continue;
      }
      if (!line.startsWith("```")) {
        if (!line.isBlank()) {
          lastWasCommands = false;
        }
        continue;
      }
      int opening = index + 1;
      List<String> words = List.of(line.substring(3).trim().split("\\s+"));
      List<String> body = new ArrayList<>();
      index++;
      while (index < lines.size() && !lines.get(index).startsWith("```")) {
        body.add(lines.get(index));
        index++;
      }
      if (index == lines.size()) {
        throw new IllegalArgumentException("README line " + opening + ": the fence is not closed");
      }
      String language = words.get(0);
      if (language.equals("sh")) {
        if (words.size() > 2) {
          throw new IllegalArgumentException("README line " + opening + ": at most one mark: " + line);
        }
        Optional<Mark> mark = words.size() == 2 ? Optional.of(Mark.parse(words.get(1), opening)) : Optional.empty();
        steps.add(new Step(opening, heading, String.join("\n", body) + "\n", mark, List.of()));
        lastWasCommands = true;
      } else if (language.equals("text")) {
        if (!lastWasCommands) {
          throw new IllegalArgumentException("README line " + opening
              + ": an output block must follow a command block (only blank lines between)");
        }
        if (words.size() > 1) {
          throw new IllegalArgumentException("README line " + opening + ": an output block takes no mark: " + line);
        }
        Step last = steps.remove(steps.size() - 1);
        steps.add(last.withExpected(body));
        lastWasCommands = false;
      } else {
        lastWasCommands = false;
      }
    }
    return List.copyOf(steps);
  }
}

package io.minicluster.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the YAML configuration file: one mapping of {@link ConfigKey} names to values. Every problem (unreadable file,
 * malformed YAML, a key that is not a setting, a duplicate key, a bad value) is a {@link ConfigException} whose message
 * starts with {@code FILE:LINE:} (and the column for YAML syntax errors). An empty file, or one with only comments, sets
 * nothing. A key with an empty or null value keeps the default.
 */
public final class ConfigFile {
  /** The file the packaged service reads; {@code minicluster} commands use it when it exists. */
  public static final Path DEFAULT_PATH = Path.of("/etc/minicluster/config.yaml");

  /** One value set in the file and the line that set it. */
  public record Entry(Object value, int line) {}

  private ConfigFile() {}

  /** The keys the file sets, with their typed values (null: the key is present but empty, the default applies). */
  public static Map<ConfigKey, Entry> read(Path file) throws ConfigException {
    requireNonNull(file, "file is null");
    String text = readText(file);
    Node root;
    try (Reader reader = new StringReader(text)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // reported below with both lines
      options.setMaxAliasesForCollections(10);
      root = new Yaml(new SafeConstructor(options)).compose(reader);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      throw new ConfigException(where + ": malformed YAML: " + problem + context
          + "; fix the syntax (each setting is \"key: value\" at the start of a line)");
    } catch (YAMLException e) {
      throw new ConfigException(file + ": malformed YAML: " + e.getMessage()
          + "; fix the syntax (each setting is \"key: value\" at the start of a line)");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    Map<ConfigKey, Entry> entries = new EnumMap<>(ConfigKey.class);
    if (root == null) {
      return entries;
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new ConfigException(file + ":" + line(root) + ": the configuration must be a mapping of settings, one "
          + "\"key: value\" per line (`minicluster server --print-config` shows them all)");
    }
    Map<ConfigKey, Integer> firstLines = new EnumMap<>(ConfigKey.class);
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      int keyLine = line(keyNode);
      if (!(keyNode instanceof ScalarNode scalarKey)) {
        throw new ConfigException(file + ":" + keyLine + ": a key must be a plain name such as api-port");
      }
      String name = scalarKey.getValue();
      ConfigKey key = ConfigKey.byKey(name);
      if (key == null) {
        throw new ConfigException(file + ":" + keyLine + ": unknown key " + ValueType.quote(name)
            + Suggestions.forUnknownKey(name));
      }
      Integer first = firstLines.putIfAbsent(key, keyLine);
      if (first != null) {
        throw new ConfigException(file + ":" + keyLine + ": duplicate key " + ValueType.quote(name)
            + " (first set on line " + first + "): keep one of them");
      }
      Node valueNode = tuple.getValueNode();
      int valueLine = line(valueNode);
      try {
        entries.put(key, new Entry(value(key, valueNode), valueLine));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file + ":" + valueLine + ": bad value for " + key.key() + ": " + e.getMessage());
      }
    }
    return entries;
  }

  private static String readText(Path file) throws ConfigException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file: create it (the sample lists every key) or leave out --config");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": permission denied: run as root (sudo) or make the file readable");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text: save it as UTF-8");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static Object value(ConfigKey key, Node node) {
    if (node instanceof ScalarNode scalar) {
      if (isNull(scalar)) {
        return null;
      }
      if (key.list()) {
        // one value where a list is expected: a list of one
        return List.of(key.type().parseValue(scalar.getValue()));
      }
      return key.type().parseValue(scalar.getValue());
    }
    if (node instanceof SequenceNode sequence) {
      if (!key.list()) {
        throw new IllegalArgumentException("a list is given, but the value is one " + key.type().description());
      }
      List<Object> values = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar) || isNull(scalar)) {
          throw new IllegalArgumentException("list item on line " + line(item) + " is not "
              + key.type().description());
        }
        values.add(key.type().parseValue(scalar.getValue()));
      }
      return Collections.unmodifiableList(values);
    }
    throw new IllegalArgumentException("a mapping is given, but the value is "
        + (key.list() ? "a list of " : "") + key.type().description());
  }

  private static boolean isNull(ScalarNode scalar) {
    return Tag.NULL.equals(scalar.getTag());
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
  }
}

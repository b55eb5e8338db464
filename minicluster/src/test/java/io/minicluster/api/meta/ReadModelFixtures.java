package io.minicluster.api.meta;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fixtures and checks shared by the read model tests. */
public final class ReadModelFixtures {
  private ReadModelFixtures() {}

  /**
   * An object of {@code src/test/resources/io/minicluster/api/<path>}: what the registry stores for a manifest after
   * defaulting, with a status as the controllers and the node agent write it.
   */
  public static ObjectNode fixture(String path) {
    try (InputStream in = ReadModelFixtures.class.getResourceAsStream("/io/minicluster/api/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return Json.parseObject(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON text of an example manifest of the repository ({@code examples/<name>.json}). */
  public static ObjectNode example(String name) {
    try {
      return Json.parseObject(Files.readAllBytes(Path.of("..", "examples", name + ".json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Walks a read model through its record components and fails on any list or map that can be modified; returns how
   * many collections it checked, so a test can also see that the walk reached them.
   */
  public static int assertDeeplyImmutable(Object model) {
    return walk(model, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static int walk(Object value, Set<Object> seen) {
    if (value == null || !seen.add(value)) {
      return 0;
    }
    int checked = 0;
    if (value instanceof List<?> list) {
      assertThatThrownBy(() -> addNull(list)).isInstanceOf(UnsupportedOperationException.class);
      if (!list.isEmpty()) {
        assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
      }
      checked++;
      for (Object element : new ArrayList<>(list)) {
        checked += walk(element, seen);
      }
    } else if (value instanceof Map<?, ?> map) {
      assertThatThrownBy(() -> putEntry(map)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
      checked++;
      for (Object element : map.values()) {
        checked += walk(element, seen);
      }
    } else if (value instanceof Collection<?>) {
      throw new AssertionError("a read model holds a collection that is no list: " + value.getClass());
    } else if (value.getClass().isRecord()) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        try {
          checked += walk(component.getAccessor().invoke(value), seen);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    return checked;
  }

  @SuppressWarnings("unchecked")
  private static void addNull(List<?> list) {
    ((List<Object>) list).add(null);
  }

  @SuppressWarnings("unchecked")
  private static void putEntry(Map<?, ?> map) {
    ((Map<Object, Object>) map).put("k", "v");
  }
}

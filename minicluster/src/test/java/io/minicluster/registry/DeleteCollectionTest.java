package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.client.Client;
import io.minicluster.json.Json;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delete collection reads the store a page at a time, deletes a page's objects in parallel, and keeps list order. */
class DeleteCollectionTest {
  private static final int OBJECTS = GenericRegistry.DELETE_COLLECTION_PAGE + 30;

  @TempDir
  Path directory;

  /** What a delete collection handed over. */
  private static final class Recorded implements GenericRegistry.DeletedSink {
    final List<String> calls = new ArrayList<>();
    long revision = -1;

    @Override
    public void listed(long listedRevision) {
      calls.add("listed");
      revision = listedRevision;
    }

    @Override
    public void deleted(ObjectNode object) {
      calls.add(Meta.name(object));
    }
  }

  private static void createConfigMaps(Client client, List<String> names, String group) {
    names.parallelStream().forEach(name -> client.create(ResourceTypes.CONFIG_MAPS, "default", Json.parseObject(
        "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"group\":\"" + group + "\"}}}")));
  }

  private static List<String> names(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("%s-%04d", prefix, i)).toList();
  }

  @Test
  void deletesEveryMatchingObjectOverSeveralPagesInListOrder() {
    try (InProcessApi api = InProcessApi.open(directory, Clock.systemUTC())) {
      List<String> doomed = names("a", OBJECTS);
      createConfigMaps(api.client(), doomed, "doomed");
      createConfigMaps(api.client(), names("b", 3), "kept");
      long before = api.registries().store().revision();
      GenericRegistry registry = api.registries().get(ResourceTypes.CONFIG_MAPS);

      Recorded recorded = new Recorded();
      registry.deleteCollection("default",
          ListOptions.filtered(object -> "doomed".equals(Meta.labels(object).get("group"))), DeleteOptions.DEFAULT,
          recorded);

      List<String> expected = new ArrayList<>(List.of("listed"));
      expected.addAll(doomed);
      assertThat(recorded.calls).containsExactlyElementsOf(expected);
      assertThat(recorded.revision).isEqualTo(before);
      assertThat(registry.list("default", ListOptions.ALL).items()).extracting(Meta::name)
          .containsExactly("b-0000", "b-0001", "b-0002");
    }
  }

  @Test
  void aFailedDeleteFailsTheCollectionAfterItsPageAndStopsThere() {
    String refused = "a-0005";
    Admission refuseOne = new Admission() {
      @Override
      public void admitDelete(ResourceType type, ObjectNode object) {
        if (Meta.name(object).equals(refused)) {
          throw ApiException.forbidden(type, refused, "not this one");
        }
      }
    };
    try (InProcessApi api = InProcessApi.open(directory, Clock.systemUTC(), List.of(refuseOne))) {
      createConfigMaps(api.client(), names("a", OBJECTS), "doomed");
      GenericRegistry registry = api.registries().get(ResourceTypes.CONFIG_MAPS);

      Recorded recorded = new Recorded();
      assertThatThrownBy(() -> registry.deleteCollection("default", ListOptions.ALL, DeleteOptions.DEFAULT, recorded))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403));

      // the rest of the first page was deleted (its deletes ran at once), the second page was not read
      assertThat(recorded.calls).containsExactly("listed");
      List<String> left = new ArrayList<>(List.of(refused));
      left.addAll(names("a", OBJECTS).subList(GenericRegistry.DELETE_COLLECTION_PAGE, OBJECTS));
      assertThat(registry.list("default", ListOptions.ALL).items()).extracting(Meta::name)
          .containsExactlyElementsOf(left);
    }
  }
}

package io.minicluster.apiserver.fieldmanager;

import static io.minicluster.apiserver.fieldmanager.FieldsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class FieldManagerTest {
  @Test
  void anUnnamedWriterIsNamedByItsUserAgentUpToTheFirstSlash() {
    assertThat(FieldManager.managerName(null, "kubectl/v1.35.0 (linux/amd64) kubernetes/abcdef"))
        .isEqualTo("kubectl");
    assertThat(FieldManager.managerName("", "Go-http-client/1.1")).isEqualTo("Go-http-client");
    assertThat(FieldManager.managerName("helm", "Helm/4.0.0")).isEqualTo("helm");
    assertThat(FieldManager.managerName(null, "x".repeat(200))).hasSize(128);
    assertThat(FieldManager.managerName(null, null)).isEmpty();
  }

  private static final FieldType DEPLOYMENT = FieldType.forKind("apps/v1", "Deployment");
  private static final String T1 = "2026-01-01T00:00:00Z";
  private static final String T2 = "2026-01-01T00:01:00Z";

  private static FieldManager manager(String name, String time) {
    return new FieldManager(DEPLOYMENT, name, "apps/v1", "", FieldManager.Scope.NOT_STATUS, time);
  }

  private static ObjectNode deployment(int replicas) {
    return json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','uid':'u1','labels':"
        + "{'app':'web'}},'spec':{'replicas':" + replicas + ",'selector':{'matchLabels':{'app':'web'}},"
        + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx'}]}}},"
        + "'status':{'replicas':0}}");
  }

  private static JsonNode managedFields(ObjectNode object) {
    return object.path("metadata").path("managedFields");
  }

  @Test
  void createRecordsTheWritersFieldsAsAnUpdateWithTimeAndVersion() {
    ObjectNode object = deployment(2);

    manager("kubectl-create", T1).update(null, object);

    assertThat(managedFields(object)).isEqualTo(json("{'a':[{'manager':'kubectl-create','operation':'Update',"
        + "'apiVersion':'apps/v1','time':'" + T1 + "','fieldsType':'FieldsV1','fieldsV1':{'f:metadata':{'f:labels':"
        + "{'.':{},'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:metadata':{'f:labels':"
        + "{'.':{},'f:app':{}}},'f:spec':{'f:containers':{'k:{\\\"name\\\":\\\"nginx\\\"}':{'.':{},'f:image':{},"
        + "'f:name':{}}}}}}}}]}").get("a"));
  }

  @Test
  void anotherWriterTakesTheFieldsItChangesAndTheSameWriterMergesIntoItsEntry() {
    ObjectNode created = deployment(2);
    manager("kubectl-create", T1).update(null, created);
    ObjectNode scaled = created.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);

    manager("kubectl-edit", T2).update(created, scaled);
    ObjectNode relabeled = scaled.deepCopy();
    ((ObjectNode) relabeled.at("/metadata/labels")).put("tier", "web");
    manager("kubectl-edit", T2).update(scaled, relabeled);

    JsonNode entries = managedFields(relabeled);
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).path("manager").asText()).isEqualTo("kubectl-create");
    assertThat(entries.get(0).at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
    assertThat(entries.get(1).path("manager").asText()).isEqualTo("kubectl-edit");
    assertThat(entries.get(1).get("fieldsV1")).isEqualTo(json("{'f:metadata':{'f:labels':{'f:tier':{}}},"
        + "'f:spec':{'f:replicas':{}}}"));
  }

  @Test
  void anUpdateOfAnObjectWithoutManagedFieldsKeepsNoneAndAnEmptyListClearsThem() {
    ObjectNode created = deployment(2);
    manager("kubectl-create", T1).update(null, created);
    ObjectNode cleared = created.deepCopy();
    ((ObjectNode) cleared.get("metadata")).putArray("managedFields");

    manager("kubectl-edit", T2).update(created, cleared);
    ObjectNode scaled = cleared.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 3);
    manager("kubectl-edit", T2).update(cleared, scaled);

    assertThat(cleared.get("metadata").has("managedFields")).isFalse();
    assertThat(scaled.get("metadata").has("managedFields")).isFalse();
  }

  @Test
  void managedFieldsTheClientSendsReplaceTheLiveOnesAndGarbageIsIgnored() {
    ObjectNode created = deployment(2);
    manager("kubectl-create", T1).update(null, created);
    ObjectNode garbage = created.deepCopy();
    ((ObjectNode) garbage.get("metadata")).set("managedFields", json("{'a':[{'manager':'x','operation':'Foo',"
        + "'apiVersion':'v1','fieldsType':'FieldsV1'}]}").get("a"));

    manager("kubectl-edit", T2).update(created, garbage);

    assertThat(managedFields(garbage)).isEqualTo(managedFields(created));
  }

  @Test
  void applyConflictsWithAnotherManagersFieldAsTheApiserverSays() {
    ObjectNode live = deployment(2);
    manager("kubectl-client-side-apply", T1).update(null, live);

    ApiException conflict = catchThrowableOfType(() -> manager("mgr", T2).apply(live,
        json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':3}}"), false),
        ApiException.class);

    assertThat(conflict.code()).isEqualTo(409);
    assertThat(conflict.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
        + "\"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
    assertThat(conflict.causes()).containsExactly(new ApiException.Cause("FieldManagerConflict",
        "conflict with \"kubectl-client-side-apply\" using apps/v1", ".spec.replicas"));
  }

  @Test
  void twoConflictsAreListedByManager() {
    ObjectNode live = manager("a", T1).apply(null, json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
        + "{'name':'web','labels':{'x':'1'}},'spec':{'replicas':1}}"), false);

    ApiException conflict = catchThrowableOfType(() -> manager("b", T2).apply(live,
        json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'x':'2'}},'spec':"
            + "{'replicas':3}}"), false), ApiException.class);

    assertThat(conflict.getMessage()).isEqualTo("Apply failed with 2 conflicts: conflicts with \"a\":\n"
        + "- .metadata.labels.x\n- .spec.replicas");
  }

  @Test
  void forcedApplyTakesOwnershipAndSameValuesAreSharedWithoutConflict() {
    ObjectNode live = manager("a", T1).apply(null, json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
        + "{'name':'web'},'spec':{'replicas':1,'paused':false}}"), false);

    ObjectNode forced = manager("b", T2).apply(live, json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
        + "{'name':'web'},'spec':{'replicas':3,'paused':false}}"), true);

    assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(3);
    JsonNode entries = managedFields(forced);
    assertThat(entries.get(0).path("manager").asText()).isEqualTo("a");
    assertThat(entries.get(0).get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:paused':{}}}"));
    assertThat(entries.get(1).path("manager").asText()).isEqualTo("b");
    assertThat(entries.get(1).get("operation").asText()).isEqualTo("Apply");
    assertThat(entries.get(1).get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:paused':{},'f:replicas':{}}}"));
  }

  @Test
  void fieldsTheApplierStopsApplyingGoUnlessSomeoneElseOwnsThem() {
    ObjectNode first = manager("a", T1).apply(null, json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
        + "{'name':'web','labels':{'x':'1','y':'2'}},'spec':{'replicas':1}}"), false);
    ObjectNode shared = manager("b", T1).apply(first, json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
        + "{'name':'web','labels':{'y':'2'}}}"), false);

    ObjectNode second = manager("a", T2).apply(shared, json("{'apiVersion':'apps/v1','kind':'Deployment',"
        + "'metadata':{'name':'web'},'spec':{'replicas':1}}"), false);

    assertThat(second.at("/metadata/labels")).isEqualTo(json("{'y':'2'}"));
    assertThat(second.at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void theFirstApplyToAnObjectWithoutManagedFieldsGivesTheRestToBeforeFirstApply() {
    ObjectNode live = deployment(2);

    ObjectNode applied = manager("mgr", T2).apply(live, json("{'apiVersion':'apps/v1','kind':'Deployment',"
        + "'metadata':{'name':'web'},'spec':{'replicas':3}}"), true);

    JsonNode entries = managedFields(applied);
    assertThat(entries).extracting(e -> e.path("manager").asText() + "/" + e.path("operation").asText())
        .containsExactly("mgr/Apply", "before-first-apply/Update");
    assertThat(entries.get(1).at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
    assertThat(entries.get(1).at("/fieldsV1/f:spec").has("f:selector")).isTrue();
  }

  @Test
  void kubectlServerSideApplyTakesOverClientSideApplyFieldsItsLastAppliedConfigurationStillMatches() {
    ObjectNode live = deployment(2);
    ObjectNode lastApplied = deployment(2);
    ((ObjectNode) lastApplied.get("metadata")).remove("uid");
    lastApplied.remove("status");
    ((ObjectNode) live.get("metadata")).putObject("annotations").put(FieldManager.LAST_APPLIED,
        Json.string(lastApplied));
    manager("kubectl-client-side-apply", T1).update(null, live);

    ObjectNode applied = manager("kubectl", T2).apply(live, json("{'apiVersion':'apps/v1','kind':'Deployment',"
        + "'metadata':{'name':'web'},'spec':{'replicas':4}}"), false);

    assertThat(applied.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(Json.parseObject(applied.at("/metadata/annotations").get(FieldManager.LAST_APPLIED).asText()))
        .isEqualTo(json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':"
            + "{'replicas':4}}"));
  }

  @Test
  void statusWritesAreTrackedOnlyOnTheStatusSubresource() {
    ObjectNode created = deployment(2);
    manager("kubectl-create", T1).update(null, created);
    ObjectNode updated = created.deepCopy();
    ((ObjectNode) updated.get("status")).put("replicas", 2);

    new FieldManager(DEPLOYMENT, "controller", "apps/v1", "status", FieldManager.Scope.ONLY_STATUS, T2)
        .update(created, updated);

    JsonNode entries = managedFields(updated);
    assertThat(entries.get(1).get("subresource").asText()).isEqualTo("status");
    assertThat(entries.get(1).get("fieldsV1")).isEqualTo(json("{'f:status':{'f:replicas':{}}}"));
    assertThat(entries.get(0).get("fieldsV1").has("f:status")).isFalse();
  }

  @Test
  void moreThanTenUpdatersAreCappedByMergingTheOldestIntoAncientChanges() {
    ObjectNode object = deployment(1);
    manager("creator", "2026-01-01T00:00:00Z").update(null, object);
    for (int i = 1; i <= 11; i++) {
      ObjectNode next = object.deepCopy();
      ((ObjectNode) next.at("/metadata/labels")).put("l" + i, "v");
      manager("writer-" + i, String.format("2026-01-01T00:%02d:00Z", i)).update(object, next);
      object = next;
    }

    JsonNode entries = managedFields(object);
    assertThat(entries).hasSize(10);
    assertThat(entries.get(0).path("manager").asText()).isEqualTo("ancient-changes");
    assertThat(entries.get(0).path("time").asText()).isEqualTo("2026-01-01T00:02:00Z");
    assertThat(entries.get(0).at("/fieldsV1/f:metadata/f:labels").has("f:l1")).isTrue();
    assertThat(entries.get(0).at("/fieldsV1/f:metadata/f:labels").has("f:l2")).isTrue();
    assertThat(entries.get(0).at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
    assertThat(entries.get(9).path("manager").asText()).isEqualTo("writer-11");
  }
}

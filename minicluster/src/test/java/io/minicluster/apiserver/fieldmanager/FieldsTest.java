package io.minicluster.apiserver.fieldmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class FieldsTest {
  private static final FieldType DEPLOYMENT = FieldType.forKind("apps/v1", "Deployment");
  private static final FieldType POD = FieldType.forKind("v1", "Pod");

  static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void fieldSetOfAnAppliedDeploymentKeysContainersAndPortsAndKeepsTheSelectorAtomic() {
    ObjectNode config = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':"
        + "{'app':'web'}},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':"
        + "{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx:1','ports':"
        + "[{'containerPort':80}],'args':['a','b']}]}}}}");

    FieldSet set = Fields.toFieldSet(config, DEPLOYMENT);

    assertThat(set.toFieldsV1()).isEqualTo(json("{'f:apiVersion':{},'f:kind':{},'f:metadata':{'f:labels':"
        + "{'f:app':{}},'f:name':{}},'f:spec':{'f:replicas':{},'f:selector':{},'f:template':{'f:metadata':"
        + "{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':{'k:{\\\"name\\\":\\\"nginx\\\"}':{'.':{},'f:args':{},"
        + "'f:image':{},'f:name':{},'f:ports':{'k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}':{'.':{},"
        + "'f:containerPort':{}}}}}}}}}"));
  }

  @Test
  void fieldsV1RoundTripsAndPathsPrintAsFieldpathDoes() {
    JsonNode fields = json("{'f:metadata':{'f:finalizers':{'.':{},'v:\\\"a/b\\\"':{}}},'f:spec':{'f:containers':"
        + "{'k:{\\\"name\\\":\\\"nginx\\\"}':{'.':{},'f:image':{}}},'f:list':{'i:3':{}}}}");

    FieldSet set = FieldSet.fromFieldsV1(fields);

    assertThat(set.toFieldsV1()).isEqualTo(fields);
    assertThat(set.paths()).extracting(FieldSet::toString).containsExactly(".metadata.finalizers",
        ".metadata.finalizers[=\"a/b\"]", ".spec.containers[name=\"nginx\"]", ".spec.containers[name=\"nginx\"].image",
        ".spec.list[3]");
  }

  @Test
  void fieldsV1ThatIsNotAFieldSetIsRefused() {
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'x:spec':{}}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'f:spec':1}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'k:notjson':{}}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setOperations() {
    FieldSet a = FieldSet.fromFieldsV1(json("{'f:a':{},'f:b':{'f:c':{},'f:d':{}}}"));
    FieldSet b = FieldSet.fromFieldsV1(json("{'f:b':{'f:c':{}},'f:e':{}}"));

    assertThat(a.difference(b).toFieldsV1()).isEqualTo(json("{'f:a':{},'f:b':{'f:d':{}}}"));
    assertThat(a.intersection(b).toFieldsV1()).isEqualTo(json("{'f:b':{'f:c':{}}}"));
    assertThat(a.union(b).toFieldsV1()).isEqualTo(json("{'f:a':{},'f:b':{'f:c':{},'f:d':{}},'f:e':{}}"));
  }

  @Test
  void compareFindsAddedModifiedAndRemovedLeavesAndNewItems() {
    ObjectNode before = json("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'containers':[{'name':'c',"
        + "'image':'x'}]}}");
    ObjectNode after = json("{'metadata':{'labels':{'a':'1','b':'3','c':'4'}},'spec':{'containers':[{'name':'c',"
        + "'image':'y'},{'name':'d','image':'z'}]}}");

    Fields.Comparison comparison = Fields.compare(before, after, POD);

    assertThat(comparison.added().toFieldsV1()).isEqualTo(json("{'f:metadata':{'f:labels':{'f:c':{}}},'f:spec':"
        + "{'f:containers':{'k:{\\\"name\\\":\\\"d\\\"}':{'.':{},'f:image':{},'f:name':{}}}}}"));
    assertThat(comparison.modified().toFieldsV1()).isEqualTo(json("{'f:metadata':{'f:labels':{'f:b':{}}},"
        + "'f:spec':{'f:containers':{'k:{\\\"name\\\":\\\"c\\\"}':{'f:image':{}}}}}"));
    assertThat(Fields.compare(after, before, POD).removed().toFieldsV1()).isEqualTo(comparison.added()
        .toFieldsV1());
  }

  @Test
  void mergeKeepsLiveItemsMergesByKeyAndReplacesAtomicValues() {
    ObjectNode live = json("{'spec':{'selector':{'matchLabels':{'a':'1','b':'2'}},'template':{'spec':"
        + "{'containers':[{'name':'a','image':'x','args':['1']},{'name':'b','image':'y'}]}}}}");
    ObjectNode config = json("{'spec':{'selector':{'matchLabels':{'a':'1'}},'template':{'spec':{'containers':"
        + "[{'name':'b','image':'z'},{'name':'c','image':'w'}]}}}}");

    JsonNode merged = Fields.merge(live, config, DEPLOYMENT);

    assertThat(merged).isEqualTo(json("{'spec':{'selector':{'matchLabels':{'a':'1'}},'template':{'spec':"
        + "{'containers':[{'name':'a','image':'x','args':['1']},{'name':'b','image':'z'},{'name':'c','image':'w'}]}}}}"));
  }

  @Test
  void removeTakesMembersWithAllBelowThem() {
    ObjectNode object = json("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'containers':[{'name':'a'},"
        + "{'name':'b','image':'y'}]}}");

    Fields.remove(object, FieldSet.fromFieldsV1(json("{'f:metadata':{'f:labels':{'f:b':{}}},'f:spec':"
        + "{'f:containers':{'k:{\\\"name\\\":\\\"a\\\"}':{}}}}")), POD);

    assertThat(object).isEqualTo(json("{'metadata':{'labels':{'a':'1'}},'spec':{'containers':[{'name':'b',"
        + "'image':'y'}]}}"));
  }

  @Test
  void customResourceDefinitionConditionsAreKeyedByTypeAndItsVersionsAtomic() {
    FieldType crd = FieldType.forKind("apiextensions.k8s.io/v1", "CustomResourceDefinition");

    FieldSet set = Fields.toFieldSet(json("{'spec':{'group':'g','versions':[{'name':'v1'}]},"
        + "'status':{'conditions':[{'type':'Established','status':'True'}]}}"), crd);

    assertThat(set.toFieldsV1()).isEqualTo(json("{'f:spec':{'f:group':{},'f:versions':{}},'f:status':{"
        + "'f:conditions':{'k:{\\\"type\\\":\\\"Established\\\"}':{'.':{},'f:status':{},'f:type':{}}}}}"));
  }

  @Test
  void kindsWithoutASchemaAreDeduced() {
    FieldType type = FieldType.forKind("example.com/v1", "Widget");

    FieldSet set = Fields.toFieldSet(json("{'spec':{'size':1,'items':[1,2],'nested':{'a':'b'}}}"), type);

    assertThat(set.toFieldsV1()).isEqualTo(json("{'f:spec':{'.':{},'f:items':{},'f:nested':{'.':{},'f:a':{}},"
        + "'f:size':{}}}"));
  }
}

package io.minicluster.registry.networking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class NetworkingStrategiesTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private static ObjectNode ingress(String spec) {
    return json("{'metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
  }

  @Test
  void anIngressNeedsRulesOrADefaultBackendAndAPathTypeOnEveryPath() {
    IngressStrategy strategy = new IngressStrategy();
    assertThat(strategy.validate(ingress("{'rules':[{'host':'web.example.com','http':{'paths':[{'path':'/',"
        + "'pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}"))).isEmpty();

    assertThat(strategy.validate(ingress("{}"))).extracting(FieldError::message).containsExactly(
        "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified");
    assertThat(strategy.validate(ingress("{'rules':[{'http':{'paths':[{'path':'/','backend':{'service':"
        + "{'name':'web','port':{'number':80}}}}]}}]}"))).extracting(FieldError::message).containsExactly(
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified");
    assertThat(strategy.validate(ingress("{'rules':[{'host':'10.0.0.1','http':{'paths':[{'path':'a//b',"
        + "'pathType':'Exact','backend':{'service':{'name':'web'},'resource':{'kind':'Bucket','name':'b'}}}]}}]}")))
        .extracting(FieldError::message).containsExactly(
            "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
            "spec.rules[0].http.paths[0].path: Invalid value: \"a//b\": must be an absolute path",
            "spec.rules[0].http.paths[0].path: Invalid value: \"a//b\": must not contain '//'",
            "spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both resource and service backends");
    assertThat(strategy.validate(ingress("{'defaultBackend':{'service':{'name':'web'}}}")))
        .extracting(FieldError::message).containsExactly(
            "spec.defaultBackend: Required value: port name or number is required");
    assertThat(strategy.validate(json("{'metadata':{'name':'web','annotations':{'kubernetes.io/ingress.class':"
        + "'a'}},'spec':{'ingressClassName':'b','defaultBackend':{'service':{'name':'web','port':{'name':'http'}}}}}")))
        .extracting(FieldError::message).containsExactly("annotations.kubernetes.io/ingress.class: Invalid value: "
            + "\"a\": must match `ingressClassName` when both are specified");
  }

  @Test
  void anIngressClassNeedsADomainPrefixedControllerThatStays() {
    IngressClassStrategy strategy = new IngressClassStrategy();
    ObjectNode nginx = json("{'metadata':{'name':'nginx'},'spec':{'controller':'k8s.io/ingress-nginx',"
        + "'parameters':{'kind':'Params','name':'p'}}}");
    strategy.applyDefaults(nginx);
    assertThat(nginx.at("/spec/parameters/scope").asText()).isEqualTo("Cluster");
    assertThat(strategy.validate(nginx)).isEmpty();

    assertThat(strategy.validate(json("{'metadata':{'name':'x'},'spec':{'controller':'nginx'}}")))
        .extracting(FieldError::message).containsExactly("spec.controller: Invalid value: \"nginx\": must be a "
            + "domain-prefixed path (such as \"acme.io/foo\")");
    ObjectNode changed = nginx.deepCopy();
    ((ObjectNode) changed.get("spec")).put("controller", "example.com/other");
    assertThat(strategy.validateUpdate(changed, nginx)).extracting(FieldError::message)
        .containsExactly("spec.controller: Invalid value: \"example.com/other\": field is immutable");
    assertThat(IngressClassStrategy.isDefault(json("{'metadata':{'annotations':"
        + "{'ingressclass.kubernetes.io/is-default-class':'true'}}}"))).isTrue();
  }

  @Test
  void aNetworkPolicyIsDefaultedAndItsPeersAndBlocksValidated() {
    NetworkPolicyStrategy strategy = new NetworkPolicyStrategy();
    ObjectNode policy = json("{'metadata':{'name':'db'},'spec':{'podSelector':{'matchLabels':{'app':'db'}},"
        + "'egress':[{'ports':[{'port':5432}]}]}}");
    strategy.applyDefaults(policy);
    assertThat(policy.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
    assertThat(policy.at("/spec/egress/0/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(strategy.validate(policy)).isEmpty();

    assertThat(strategy.validate(json("{'metadata':{'name':'db'},'spec':{'podSelector':{},'ingress':[{'from':"
        + "[{},{'ipBlock':{'cidr':'10.0.0.0/16','except':['10.1.0.0/24','10.0.0.0/8']},'podSelector':{}}],"
        + "'ports':[{'port':'http','endPort':90}]}],'policyTypes':['Ingress','Other']}}")))
        .extracting(FieldError::message).containsExactly(
            "spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
            "spec.ingress[0].from[0]: Required value: must specify a peer",
            "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a strict subset of "
                + "`cidr`",
            "spec.ingress[0].from[1].ipBlock.except[1]: Invalid value: \"10.0.0.0/8\": must be a strict subset of "
                + "`cidr`",
            "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
            "spec.policyTypes[1]: Unsupported value: \"Other\": supported values: \"Ingress\", \"Egress\"");
  }
}

package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.pki.Pki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CustomResourceDefinitions with the real daemon and kubectl 1.35 (and a get with kubectl 1.20): a namespaced
 * definition of two versions with printer columns, a short name, a category and the status and scale subresources is
 * served within seconds of its creation, {@code kubectl wait --for condition=established} returns, and its resources
 * go through apply, get (both versions, the columns, the category, selectors), describe, explain, edit, scale, the
 * schema's defaults, pruning and 422; a non-structural schema is refused; a deleted namespace's custom resources go
 * with it; deleting the definition deletes its objects and stops serving them. CustomResourceDefinitions themselves
 * are explained (OpenAPI v3, and v2 for kubectl 1.20) and validated strictly, and one using the schema features
 * real-world definitions use goes through client-side and server-side apply.
 */
class CustomResourceDefinitionIT {
  private static final Path KUBECTL_120 = Paths.get(System.getenv().getOrDefault("KUBECTL_120",
      "../.ci/tools/kubectl120"));
  private static final String CRD = """
      {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
       "metadata":{"name":"crontabs.stable.example.com"},
       "spec":{"group":"stable.example.com","scope":"Namespaced",
        "names":{"plural":"crontabs","singular":"crontab","kind":"CronTab","shortNames":["ct"],"categories":["all"]},
        "versions":[
         {"name":"v1","served":true,"storage":true,
          "schema":{"openAPIV3Schema":{"type":"object","properties":{
           "spec":{"type":"object","description":"The schedule and its image.","properties":{
            "cronSpec":{"type":"string","description":"When to run, in cron format."},
            "image":{"type":"string"},"replicas":{"type":"integer"},
            "suspend":{"type":"boolean","default":false}}},
           "status":{"type":"object","properties":{"replicas":{"type":"integer"},"selector":{"type":"string"}}}}}},
          "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas",
           "statusReplicasPath":".status.replicas","labelSelectorPath":".status.selector"}},
          "additionalPrinterColumns":[
           {"name":"Spec","type":"string","jsonPath":".spec.cronSpec"},
           {"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
           {"name":"Image","type":"string","priority":1,"jsonPath":".spec.image"},
           {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]},
         {"name":"v1beta1","served":true,"storage":false,
          "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""";
  /**
   * A definition using what real-world ones use: schema values of any JSON type (default, example, enum), the
   * x-kubernetes-* extensions, int-or-string, list-map keys, embedded resources, selectable fields.
   */
  private static final String GADGETS = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: gadgets.example.com
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: gadgets, kind: Gadget, shortNames: [gd]}
        versions:
        - name: v1
          served: true
          storage: true
          selectableFields: [{jsonPath: .spec.mode}]
          additionalPrinterColumns: [{name: Num, type: integer, jsonPath: .spec.num}]
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    num: {type: integer, format: int32, minimum: 0, default: 1, example: 42}
                    mode: {type: string, enum: [a, b], default: a}
                    port:
                      x-kubernetes-int-or-string: true
                      anyOf: [{type: integer}, {type: string}]
                    config:
                      type: object
                      default: {nested: {list: [1, two, {three: 3}]}}
                      x-kubernetes-preserve-unknown-fields: true
                    labels: {type: object, additionalProperties: {type: string}, x-kubernetes-map-type: atomic}
                    ports:
                      type: array
                      x-kubernetes-list-type: map
                      x-kubernetes-list-map-keys: [name]
                      items: {type: object, required: [name], properties: {name: {type: string}}}
                    template:
                      type: object
                      x-kubernetes-embedded-resource: true
                      x-kubernetes-preserve-unknown-fields: true
      """;
  private static final String CRON_TAB = """
      apiVersion: stable.example.com/v1
      kind: CronTab
      metadata:
        name: my-cron
      spec:
        cronSpec: "* * * * */5"
        image: my-image
        replicas: 2
      """;

  @Test
  void definitionServesItsResources(@TempDir Path temp) throws Exception {
    Path dataDir = temp.resolve("data");
    try (DaemonProcess daemon = new DaemonProcess(dataDir, List.of("--no-node-agent", "--no-service-proxy",
        "--socks-port", "-1")).start()) {
      Kubectl kubectl = new Kubectl(daemon.kubeconfig());
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(Pki.loadOrCreate(dataDir, List.of(), List.of()).jdkClientSslContext(true)).build();
      String server = "https://127.0.0.1:" + daemon.apiPort();

      // created, its resources are served within a second (NamesAccepted, Established, the catalog)
      long start = System.nanoTime();
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server
              + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(CRD)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      URI list = URI.create(server + "/apis/stable.example.com/v1/namespaces/default/crontabs");
      while (http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.discarding()).statusCode()
          != 200) {
        // a second on a quiet machine (see the report); the bound leaves room for a loaded CI host
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(2);
      }
      System.out.printf("custom resources served %d ms after the CustomResourceDefinition's create was sent%n",
          Duration.ofNanos(System.nanoTime() - start).toMillis());
      assertThat(kubectl.run("wait", "--for", "condition=established", "--timeout=10s",
          "crd/crontabs.stable.example.com").assertOk().stdout().trim())
          .isEqualTo("customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met");
      assertThat(kubectl.run("get", "crd").assertOk().stdout())
          .matches("(?s)NAME\\s+CREATED AT\\ncrontabs.stable.example.com\\s+\\d{4}-.*");

      // explained from the OpenAPI v3 document of apiextensions.k8s.io/v1, down into the recursive JSONSchemaProps
      assertThat(kubectl.run("explain", "crd").assertOk().stdout())
          .contains("GROUP:      apiextensions.k8s.io", "KIND:       CustomResourceDefinition", "VERSION:    v1",
              "CustomResourceDefinition represents a resource that should be exposed on the",
              "spec\t<CustomResourceDefinitionSpec> -required-", "status\t<CustomResourceDefinitionStatus>");
      assertThat(kubectl.run("explain", "crd.spec.versions.schema.openAPIV3Schema").assertOk().stdout())
          .contains("FIELD: openAPIV3Schema <JSONSchemaProps>", "JSONSchemaProps is a JSON-Schema following",
              "$ref\t<string>", "default\t<JSON>", "enum\t<[]JSON>", "items\t<JSONSchemaPropsOrArray>",
              "properties\t<map[string]JSONSchemaProps>", "x-kubernetes-preserve-unknown-fields\t<boolean>",
              "x-kubernetes-int-or-string\t<boolean>");
      assertThat(kubectl.run("explain", "crd.spec.versions.schema.openAPIV3Schema.properties.properties")
          .assertOk().stdout()).contains("FIELD: properties <map[string]JSONSchemaProps>", "anyOf\t<[]JSONSchemaProps>");

      // such a definition passes strict validation (client-side apply's default), server-side apply and an
      // apply that drops a property; its JSON values come back as sent
      assertThat(kubectl.runWithInput(GADGETS, "apply", "--validate=strict", "-f", "-").assertOk().stdout().trim())
          .isEqualTo("customresourcedefinition.apiextensions.k8s.io/gadgets.example.com created");
      assertThat(kubectl.runWithInput(GADGETS, "apply", "--server-side", "--force-conflicts", "-f", "-").assertOk()
          .stdout().trim()).isEqualTo("customresourcedefinition.apiextensions.k8s.io/gadgets.example.com "
          + "serverside-applied");
      String gadgetSpec = "jsonpath={.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties}";
      assertThat(kubectl.run("get", "crd", "gadgets.example.com", "-o", gadgetSpec).assertOk().stdout())
          .contains("\"config\":{\"default\":{\"nested\":{\"list\":[1,\"two\",{\"three\":3}]}},\"type\":\"object\","
              + "\"x-kubernetes-preserve-unknown-fields\":true}", "\"mode\":{\"default\":\"a\",\"enum\":[\"a\",\"b\"]",
              "\"num\":{\"default\":1,\"example\":42,", "\"x-kubernetes-list-map-keys\":[\"name\"]");
      assertThat(kubectl.runWithInput(GADGETS.replace("mode: {type: string, enum: [a, b], default: a}", "")
          .replace("{nested: {list: [1, two, {three: 3}]}}", "{other: true}"), "apply", "-f", "-").assertOk().stdout()
          .trim()).isEqualTo("customresourcedefinition.apiextensions.k8s.io/gadgets.example.com configured");
      assertThat(kubectl.run("get", "crd", "gadgets.example.com", "-o", gadgetSpec).assertOk().stdout())
          .doesNotContain("\"mode\"").contains("\"config\":{\"default\":{\"other\":true},");
      // a misspelled keyword of a schema is an unknown field of JSONSchemaProps (the apply patches: the patch is
      // refused)
      Kubectl.Result misspelled = kubectl.runWithInput(GADGETS.replace("minimum: 0", "minimun: 0"), "apply",
          "--validate=strict", "-f", "-");
      assertThat(misspelled.exitCode()).isNotZero();
      assertThat(misspelled.stderr()).contains("The request is invalid: patch: Invalid value: ").contains(
          "strict decoding error: unknown field \"spec.versions[0].schema.openAPIV3Schema.properties.spec.properties"
          + ".num.minimun\"");

      assertThat(kubectl.runWithInput(CRON_TAB, "apply", "-f", "-").assertOk().stdout().trim())
          .isEqualTo("crontab.stable.example.com/my-cron created");
      List<String> rows = kubectl.run("get", "ct").assertOk().stdout().lines().toList();
      assertThat(rows.get(0).split("\\s+")).containsExactly("NAME", "SPEC", "REPLICAS", "AGE");
      assertThat(rows.get(1)).matches("my-cron\\s+\\* \\* \\* \\* \\*/5\\s+2\\s+\\d+s");
      assertThat(kubectl.run("get", "ct", "-o", "wide").assertOk().stdout().lines().findFirst().orElseThrow()
          .split("\\s+")).containsExactly("NAME", "SPEC", "REPLICAS", "IMAGE", "AGE");
      assertThat(kubectl.run("get", "crontabs.v1beta1.stable.example.com", "my-cron", "-o",
          "jsonpath={.apiVersion} {.spec.image}").assertOk().stdout()).isEqualTo("stable.example.com/v1beta1 my-image");
      assertThat(kubectl.run("get", "all").assertOk().stdout()).contains("crontab.stable.example.com/my-cron");
      assertThat(kubectl.run("get", "ct", "-l", "app!=web", "--field-selector", "metadata.name=my-cron", "-o",
          "name").assertOk().stdout().trim()).isEqualTo("crontab.stable.example.com/my-cron");
      assertThat(kubectl.run("get", "ct", "--field-selector", "metadata.name=other").assertOk().stderr().trim())
          .isEqualTo("No resources found in default namespace.");
      assertThat(kubectl.run("describe", "ct", "my-cron").assertOk().stdout())
          .contains("API Version:  stable.example.com/v1").contains("Cron Spec:  * * * * */5");
      assertThat(kubectl.run("explain", "ct.spec").assertOk().stdout())
          .contains("KIND:       CronTab").contains("The schedule and its image.")
          .contains("cronSpec\t<string>").contains("When to run, in cron format.");

      assertThat(kubectl.run(List.of("edit", "ct", "my-cron"), null,
          Map.of("KUBE_EDITOR", "sed -i s/my-image/new-image/"), 30).assertOk().stdout().trim())
          .isEqualTo("crontab.stable.example.com/my-cron edited");
      assertThat(kubectl.run("scale", "ct", "my-cron", "--replicas=4").assertOk().stdout().trim())
          .isEqualTo("crontab.stable.example.com/my-cron scaled");
      assertThat(kubectl.run("get", "ct", "my-cron", "-o",
          "jsonpath={.spec.image} {.spec.replicas} {.metadata.generation}").assertOk().stdout())
          .isEqualTo("new-image 4 3");

      Kubectl.Result invalid = kubectl.runWithInput(CRON_TAB.replace("replicas: 2", "replicas: two")
          .replace("my-cron", "bad"), "apply", "-f", "-");
      assertThat(invalid.exitCode()).isNotZero();
      assertThat(invalid.stderr().trim()).isEqualTo("The CronTab \"bad\" is invalid: spec.replicas: Invalid value: "
          + "\"string\": spec.replicas in body must be of type integer: \"string\"");
      // fields the schema does not know: refused under kubectl's default (Strict), warned about under Warn
      Kubectl.Result unknown = kubectl.runWithInput(CRON_TAB.replace("my-cron", "unknown").replace("replicas: 2",
          "replicas: 1\n  extra: refused"), "create", "-f", "-");
      assertThat(unknown.exitCode()).isNotZero();
      assertThat(unknown.stderr()).contains("CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding "
          + "error: unknown field \"spec.extra\"");
      Kubectl.Result warned = kubectl.runWithInput(CRON_TAB.replace("my-cron", "warned").replace("replicas: 2",
          "replicas: 1\n  extra: warned"), "create", "--validate=warn", "-f", "-").assertOk();
      assertThat(warned.stderr()).contains("unknown field \"spec.extra\"");
      // kubectl patch sends no directive: the server's default, Warn
      assertThat(kubectl.run("patch", "ct", "my-cron", "--type=merge", "-p", "{\"spec\":{\"extra\":1}}").assertOk()
          .stderr()).contains("Warning: unknown field \"spec.extra\"");
      // defaulted and pruned by the schema (unknown fields dropped where it does not preserve them)
      assertThat(kubectl.runWithInput(CRON_TAB.replace("my-cron", "pruned").replace("replicas: 2",
          "replicas: 1\n  extra: dropped"), "create", "--validate=false", "-f", "-").assertOk().stdout().trim())
          .isEqualTo("crontab.stable.example.com/pruned created");
      assertThat(kubectl.run("get", "ct", "pruned", "-o", "jsonpath={.spec}").assertOk().stdout()).isEqualTo(
          "{\"cronSpec\":\"* * * * */5\",\"image\":\"my-image\",\"replicas\":1,\"suspend\":false}");
      Kubectl.Result nonStructural = kubectl.runWithInput(CRD.replace("crontabs", "others").replace("CronTab",
          "Other").replace("\"ct\"", "\"ot\"").replace("{\"type\":\"object\",\"properties\"", "{\"properties\""),
          "apply", "-f", "-");
      assertThat(nonStructural.exitCode()).isNotZero();
      assertThat(nonStructural.stderr()).contains("spec.versions[0].schema.openAPIV3Schema.type: Required value: "
          + "must not be empty at the root");

      if (Files.isExecutable(KUBECTL_120)) {
        Kubectl old = new Kubectl(daemon.kubeconfig(), KUBECTL_120.toAbsolutePath().toString());
        assertThat(old.run("get", "ct").assertOk().stdout()).contains("my-cron");
        // kubectl 1.20 explains and validates from OpenAPI v2
        assertThat(old.run("explain", "crd.spec.versions.schema.openAPIV3Schema").assertOk().stdout())
            .contains("KIND:     CustomResourceDefinition", "VERSION:  apiextensions.k8s.io/v1",
                "RESOURCE: openAPIV3Schema <Object>", "properties\t<map[string]Object>",
                "x-kubernetes-preserve-unknown-fields\t<boolean>");
        assertThat(old.runWithInput(GADGETS, "apply", "-f", "-").assertOk().stdout().trim())
            .isEqualTo("customresourcedefinition.apiextensions.k8s.io/gadgets.example.com configured");
        assertThat(old.run("get", "crd", "gadgets.example.com", "-o", gadgetSpec).assertOk().stdout())
            .contains("\"mode\":{\"default\":\"a\"");
        assertThat(old.runWithInput(GADGETS.replace("minimum: 0", "minimun: 0"), "apply", "-f", "-").stderr())
            .contains("unknown field \"minimun\" in io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."
                + "JSONSchemaProps");
      }

      // a deleted namespace's custom resources go with it
      kubectl.run("create", "namespace", "crons").assertOk();
      kubectl.runWithInput(CRON_TAB, "apply", "-n", "crons", "-f", "-").assertOk();
      kubectl.run("delete", "namespace", "crons", "--timeout=30s").assertOk();
      assertThat(kubectl.run("get", "ct", "-n", "crons").assertOk().stderr().trim())
          .isEqualTo("No resources found in crons namespace.");

      // deleting the definition deletes its objects and stops serving them
      assertThat(kubectl.run("delete", "crd", "crontabs.stable.example.com", "--timeout=20s").assertOk().stdout()
          .trim()).isEqualTo("customresourcedefinition.apiextensions.k8s.io \"crontabs.stable.example.com\" deleted");
      HostTools.waitUntil("the custom resources are no longer served", Duration.ofSeconds(5),
          () -> http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 404);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(server
              + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(CRD)).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(201);
      kubectl.run("wait", "--for", "condition=established", "--timeout=10s", "crd/crontabs.stable.example.com")
          .assertOk();
      assertThat(kubectl.run("get", "crontabs", "-A").assertOk().stderr().trim()).isEqualTo("No resources found");
    }
  }
}

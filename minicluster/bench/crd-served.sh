#!/usr/bin/env bash
# API-breadth benchmark (issue 13): the time from a CustomResourceDefinition's create (its 201) to its resources being
# served (the first 200 of a list of them), and to its Established condition, over N definitions created one after
# another, measured with the official Python client against a daemon with the packaged JVM options. The goal is
# <= 1 s. Not a timed test: it prints figures.
#   usage: [JAR=minicluster/target/minicluster.jar] minicluster/bench/crd-served.sh [DEFINITIONS]
# Needs the built jar (mvn -B -DskipTests package) and Debian's python3-kubernetes (for /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-20}
HEAP=${HEAP:-256m}
. minicluster/bench/daemon-setup.sh
start_daemon_without_node
KUBECONFIG=$WORK/data/kubeconfig.yaml /usr/bin/python3 - "$COUNT" <<'PY'
import os, sys, time
from kubernetes import client, config
from kubernetes.client.rest import ApiException

count = int(sys.argv[1])
config.load_kube_config(os.environ["KUBECONFIG"])
for _ in range(240):
    try:
        client.VersionApi().get_code()
        break
    except Exception:
        time.sleep(0.25)
extensions = client.ApiextensionsV1Api()
custom = client.CustomObjectsApi()
served, established = [], []
for i in range(count):
    plural = "widgets%d" % i
    body = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": plural + ".bench.example.com"},
            "spec": {"group": "bench.example.com", "scope": "Namespaced",
                     "names": {"plural": plural, "kind": "Widget%d" % i},
                     "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                         "type": "object", "x-kubernetes-preserve-unknown-fields": True}}}]}}
    extensions.create_custom_resource_definition(body)
    start = time.monotonic()
    seen_served = seen_established = None
    deadline = start + 30
    while (seen_served is None or seen_established is None) and time.monotonic() < deadline:
        if seen_served is None:
            try:
                custom.list_namespaced_custom_object("bench.example.com", "v1", "default", plural)
                seen_served = time.monotonic() - start
            except ApiException as e:
                if e.status != 404:
                    raise
        if seen_established is None:
            crd = extensions.read_custom_resource_definition(plural + ".bench.example.com")
            if any(c.type == "Established" and c.status == "True" for c in (crd.status.conditions or [])):
                seen_established = time.monotonic() - start
        time.sleep(0.005)
    if seen_served is None or seen_established is None:
        print("RESULT definition %s: NOT served within 30 s" % plural)
        sys.exit(1)
    served.append(seen_served * 1000)
    established.append(seen_established * 1000)

def line(name, values):
    values = sorted(values)
    p50 = values[len(values) // 2]
    print("RESULT %s over %d definitions: p50 %.0f ms, max %.0f ms (goal <= 1000 ms)" % (name, len(values), p50,
                                                                                        values[-1]))

line("created -> resources served", served)
line("created -> Established", established)
PY

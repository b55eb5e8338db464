"""The official Python client (Debian's python3-kubernetes) against a live minicluster: every list deserializes
into the typed models, a pod is created, watched to Running (watch=True), its log read, a duplicate create
answers 409, and the pod is deleted. Prints one line per check; any exception fails the run (exit code 1)."""
import sys

from kubernetes import client, config, watch

config.load_kube_config(sys.argv[1])
core = client.CoreV1Api()
print("version", client.VersionApi().get_code().git_version)
for node in core.list_node().items:
    print("node", node.metadata.name, node.status.node_info.container_runtime_version,
          [c.type for c in node.status.conditions])
print("namespaces", sorted(n.metadata.name for n in core.list_namespace().items))
print("services", sorted(s.metadata.name for s in core.list_service_for_all_namespaces().items))
print("endpoints", sorted(e.metadata.name for e in core.list_endpoints_for_all_namespaces().items))
print("serviceaccounts", len(core.list_service_account_for_all_namespaces().items))
print("leases", len(client.CoordinationV1Api().list_lease_for_all_namespaces().items))
print("deployments", len(client.AppsV1Api().list_deployment_for_all_namespaces().items))
print("endpointslices", len(client.DiscoveryV1Api().list_endpoint_slice_for_all_namespaces().items))

pod = client.V1Pod(
    metadata=client.V1ObjectMeta(name="python-client"),
    spec=client.V1PodSpec(restart_policy="Never", containers=[client.V1Container(
        name="c", image="minicluster-test/busybox:1", image_pull_policy="Never",
        command=["sh", "-c", "echo hello from python-client; sleep 3600"])]))
core.create_namespaced_pod("default", pod)
phases = []
stream = watch.Watch()
for event in stream.stream(core.list_namespaced_pod, "default", field_selector="metadata.name=python-client",
                           timeout_seconds=90):
    phases.append(event["type"] + ":" + str(event["object"].status.phase))
    if event["object"].status.phase == "Running":
        stream.stop()
print("watch", " ".join(phases))
if not phases or not phases[-1].endswith(":Running"):
    sys.exit("the pod never went Running: " + " ".join(phases))
for pod_now in core.list_pod_for_all_namespaces().items:
    for status in pod_now.status.container_statuses or []:
        print("container", pod_now.metadata.name, status.name, status.ready, status.restart_count)
log = ""
for _ in range(40):
    log = core.read_namespaced_pod_log("python-client", "default")
    if log:
        break
    import time
    time.sleep(0.25)
print("log", log.strip())
try:
    core.create_namespaced_pod("default", pod)
    sys.exit("a duplicate create was accepted")
except client.exceptions.ApiException as e:
    print("duplicate", e.status, e.reason)
print("events", len(core.list_namespaced_event("default").items) > 0)
core.delete_namespaced_pod("python-client", "default", grace_period_seconds=0)
print("deleted")

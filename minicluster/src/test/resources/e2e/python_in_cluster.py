"""The official Python client inside a pod (ServiceAccountTokenIT): the in-cluster configuration (the kubernetes
service's address from KUBERNETES_SERVICE_HOST/PORT, the projected token and ca.crt) lists the pod's namespace's
secrets until it may, within a bound: it prints each new outcome, so the log shows the 403 before a RoleBinding and
the secrets after. Exits 0 once the list succeeds, 1 when the bound passes first."""
import json
import sys
import time

from kubernetes import client, config
from kubernetes.client.rest import ApiException

NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

config.load_incluster_config()
with open(NAMESPACE_FILE) as f:
    namespace = f.read()
api = client.CoreV1Api()
print("server", client.Configuration.get_default_copy().host, flush=True)
deadline = time.monotonic() + float(sys.argv[1])
last = None
while time.monotonic() < deadline:
    try:
        secrets = api.list_namespaced_secret(namespace)
        print("listed", sorted(s.metadata.name for s in secrets.items), flush=True)
        sys.exit(0)
    except ApiException as e:
        outcome = "%s %s %s" % (e.status, e.reason, json.loads(e.body)["message"])
    if outcome != last:
        print(outcome, flush=True)
        last = outcome
    time.sleep(0.5)
print("still refused after", sys.argv[1], "s", flush=True)
sys.exit(1)

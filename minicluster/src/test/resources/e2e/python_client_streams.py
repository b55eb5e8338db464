"""The official Python client's WebSocket streams (Debian's python3-kubernetes) against a live minicluster: exec
with stdin (write_stdin sends a str as a text frame, bytes as a binary one) read back through cat, the exit code
from the v4 status channel, and port-forward over WebSocket channels (portforward=True) to busybox httpd in a pod.
Prints one line per check; any exception or wrong answer fails the run (exit code 1)."""
import sys

from kubernetes import client, config, watch
from kubernetes.stream import portforward, stream

config.load_kube_config(sys.argv[1])
core = client.CoreV1Api()

pod = client.V1Pod(
    metadata=client.V1ObjectMeta(name="python-streams"),
    spec=client.V1PodSpec(restart_policy="Never", containers=[client.V1Container(
        name="web", image="minicluster-test/busybox:1", image_pull_policy="Never",
        command=["sh", "-c", "mkdir -p /www && echo hello from httpd > /www/index.html && exec httpd -f -p 8080 -h /www"],
        readiness_probe=client.V1Probe(tcp_socket=client.V1TCPSocketAction(port=8080), period_seconds=1))]))
core.create_namespaced_pod("default", pod)


def ready(p):
    return any(c.type == "Ready" and c.status == "True" for c in (p.status.conditions or []))


events = watch.Watch()
for event in events.stream(core.list_namespaced_pod, "default", field_selector="metadata.name=python-streams",
                           timeout_seconds=90):
    if ready(event["object"]):
        events.stop()
if not ready(core.read_namespaced_pod("python-streams", "default")):
    sys.exit("the pod never became Ready")
print("ready")

session = stream(core.connect_get_namespaced_pod_exec, "python-streams", "default", command=["cat"],
                 stdin=True, stdout=True, stderr=True, tty=False, _preload_content=False)
session.write_stdin("text frame line\n")
text_line = session.readline_stdout(timeout=20)
session.write_stdin(b"binary frame line\n")
binary_line = session.readline_stdout(timeout=20)
session.close()
print("exec stdin", repr(text_line), repr(binary_line))
if text_line != "text frame line" or binary_line != "binary frame line":
    sys.exit("stdin did not come back through cat")

session = stream(core.connect_get_namespaced_pod_exec, "python-streams", "default",
                 command=["sh", "-c", "echo out; exit 3"], stdout=True, stderr=True, _preload_content=False)
session.run_forever(timeout=30)
code = session.returncode  # before read_all(), which empties every channel, the status one too
print("exec exit", repr(session.read_all().strip()), code)

forward = portforward(core.connect_get_namespaced_pod_portforward, "python-streams", "default", ports="8080")
http = forward.socket(8080)
http.setblocking(True)
http.sendall(b"GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n")
response = b""
while True:
    chunk = http.recv(4096)
    if not chunk:
        break
    response += chunk
http.close()
lines = response.decode().splitlines()
status = lines[0].split()[1] if lines else ""
print("portforward", status, "|", lines[-1] if lines else "", "| error", forward.error(8080))

core.delete_namespaced_pod("python-streams", "default", grace_period_seconds=0)
print("deleted")

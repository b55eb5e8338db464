#!/usr/bin/env bash
# Scale benchmark (issue 15): N pods created through the API with no node agent (all stay Pending and
# unschedulable), with the packaged JVM options. Prints how the daemon keeps serving (list, get, create, watch),
# the number of event objects the scheduler's FailedScheduling events became, the daemon's RSS and heap, and
# whether it is still alive. Not a timed test: it prints figures.
# Also prints the live heap (jcmd GC.class_histogram, which runs a full GC first) idle and with the pods, the
# difference per pod, and the classes holding most of it.
#   usage: [HEAP=128m] [JAR=minicluster/target/minicluster.jar] minicluster/bench/pending-pods.sh [PODS] [SETTLE_SECONDS]
# Needs the built jar (mvn -B -DskipTests package), kubectl on the PATH (or $KUBECTL) and the JDK's jcmd.
set -euo pipefail
cd "$(dirname "$0")/../.."
PODS=${1:-10000}
SETTLE=${2:-60}
KUBECTL=${KUBECTL:-kubectl}
HEAP=${HEAP:-128m}
# the packaged options (the packaged heap is 128m-1g by the machine's memory), $JAR, $WORK and $PORT
. minicluster/bench/daemon-setup.sh
start_daemon_without_node
died() {
  echo "daemon DIED after $(( $1 )) pods were requested; its last lines:"
  tail -3 "$WORK/daemon.log"
  exit 1
}
export KUBECONFIG=$WORK/data/kubeconfig.yaml
"$KUBECTL" wait --for=condition=Ready node --all --timeout=60s >/dev/null 2>&1 || true
metric() { "$KUBECTL" get --raw /metrics | awk -v m="$1" '$1 ~ "^"m {print $2; exit}'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status"; }
# live heap bytes after a full GC (the histogram's total); the histogram itself goes to $WORK/histogram
live_heap() { jcmd "$PID" GC.class_histogram >"$WORK/histogram"; awk '$1 == "Total" {print $3}' "$WORK/histogram"; }
idle_heap=$(live_heap)
echo "idle: RSS $(rss_mb) MB, heap used $(( $(metric 'jvm_memory_used_bytes') / 1048576 )) MB, live heap after full GC $(( idle_heap / 1048576 )) MB"
BATCH=500
start=$(date +%s.%N)
for ((first = 0; first < PODS; first += BATCH)); do
  python3 - "$first" "$BATCH" "$PODS" >"$WORK/batch.json" <<'PY'
import json, sys
first, batch, total = map(int, sys.argv[1:])
items = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pending-%d" % i},
          "spec": {"containers": [{"name": "c", "image": "busybox"}]}} for i in range(first, min(first + batch, total))]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
  "$KUBECTL" create -f "$WORK/batch.json" >/dev/null 2>&1 || kill -0 $PID 2>/dev/null || died "first + BATCH"
done
end=$(date +%s.%N)
echo "created $PODS pods in $(echo "$end - $start" | bc) s; RSS $(rss_mb) MB"
sleep "$SETTLE"
t0=$(date +%s%N); n=$("$KUBECTL" get pods --no-headers | wc -l); t1=$(date +%s%N)
echo "after ${SETTLE}s: list of $n pods in $(( (t1 - t0) / 1000000 )) ms"
t0=$(date +%s%N); "$KUBECTL" get pod pending-0 >/dev/null; t1=$(date +%s%N)
echo "get in $(( (t1 - t0) / 1000000 )) ms"
watch_sees_create "after load"
events=$("$KUBECTL" get events --no-headers 2>/dev/null | wc -l)
failed=$("$KUBECTL" get events --field-selector reason=FailedScheduling -o jsonpath='{range .items[*]}{.count}{"\n"}{end}' \
  | awk '{s += $1} END {print s + 0}')
echo "event objects: $events (FailedScheduling occurrences counted in them: $failed)"
loaded_heap=$(live_heap)
echo "live heap after full GC $(( loaded_heap / 1048576 )) MB: $(( (loaded_heap - idle_heap) / (PODS + 1) )) bytes per pod above idle"
echo "classes holding most of the live heap (instances, bytes, class):"
sed -n '4,15p' "$WORK/histogram" | awk '{printf "  %10s %12s %s\n", $2, $3, $4}'
echo "RSS $(rss_mb) MB, heap used $(( $(metric 'jvm_memory_used_bytes') / 1048576 )) MB of $(( $(metric 'jvm_memory_max_bytes') / 1048576 )) MB"
kill -0 $PID 2>/dev/null && echo "daemon alive" || { echo "daemon DIED:"; tail -5 "$WORK/daemon.log"; }

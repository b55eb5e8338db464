#!/usr/bin/env bash
# Scale benchmark (issues 12 and 15): N pods Running on the simulated node (setting simulated-node, no Docker), with
# the packaged JVM options and the packaged heap for this machine (packaging/deb/src/deb/libexec/heap-size; HEAP=...
# overrides it). Not a timed test: it prints figures.
#   - how long N pods take from the first create to all Running (created through the API: MODE=pods, the default, is
#     `kubectl create -f` of lists of 1,000 pods, 10 kubectl processes at once; MODE=rc is one ReplicationController
#     of N replicas, whose pods the replication controller creates);
#   - the daemon's RSS and heap with N pods Running, the live heap (jcmd GC.class_histogram, after a full GC) per pod
#     above idle and the classes holding most of it, the number of event objects;
#   - that it keeps serving with N pods: list, get, a watch that sees a new pod, create;
#   - how long deleting them all takes until the last one is gone (MODE=pods: one delete of the collection,
#     `kubectl delete --raw /api/v1/namespaces/default/pods`; MODE=rc: deleting the controller, its pods by the
#     garbage collector); each pod being deleted is finalized by the simulated node.
#   usage: [MODE=pods|rc] [HEAP=1g] [JAR=minicluster/target/minicluster.jar] minicluster/bench/simulated-pods.sh [PODS]
# Needs the built jar (mvn -B -DskipTests package), kubectl on the PATH (or $KUBECTL) and the JDK's jcmd.
set -euo pipefail
cd "$(dirname "$0")/../.."
PODS=${1:-10000}
MODE=${MODE:-pods}
KUBECTL=${KUBECTL:-kubectl}
HEAP=${HEAP:-$(sh packaging/deb/src/deb/libexec/heap-size | sed 's/^-Xmx//')}
# the packaged options with the packaged heap, $JAR, $WORK and $PORT
. minicluster/bench/daemon-setup.sh
echo "JVM options: $OPTS"
# no engine is needed: DOCKER_HOST points at nothing
# shellcheck disable=SC2086
DOCKER_HOST=unix://$WORK/no-docker.sock java $OPTS ${EXTRA_OPTS:-} -jar "$JAR" server --no-config --data-dir "$WORK/data" \
  --api-port "$PORT" --bind-address 127.0.0.1 --simulated-node --no-service-proxy --socks-port -1 --offline \
  --node-name simulated >"$WORK/daemon.log" 2>&1 &
PID=$!
WATCH=""
trap 'kill $WATCH $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do [ -f "$WORK/data/kubeconfig.yaml" ] && break; sleep 0.5; done
export KUBECONFIG=$WORK/data/kubeconfig.yaml
"$KUBECTL" wait --for=condition=Ready node/simulated --timeout=60s >/dev/null
echo "node: $("$KUBECTL" get node simulated -o jsonpath='{.status.allocatable.pods} pods allocatable, {.status.conditions[?(@.type=="Ready")].reason}')"
metric() { "$KUBECTL" get --raw /metrics | awk -v m="$1" '$1 ~ "^"m {print $2; exit}'; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status"; }
# the peak RSS so far (VmHWM)
peak_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$PID/status"; }
# the CPU time (clock ticks) of each of the daemon's threads so far: "name ticks" lines, digits of names dropped
thread_ticks() {
  for stat in /proc/"$PID"/task/*/stat; do cat "$stat" 2>/dev/null; done |
    sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1\t\2/' |
    awk -F'\t' '{ split($2, f, " "); name = $1; gsub(/[0-9]+/, "N", name); print name, f[11] + f[12] }'
}
# the daemon's CPU seconds since the thread_ticks in file "$1", in total and by thread name (the heaviest first)
cpu_since() {
  local hz; hz=$(getconf CLK_TCK)
  thread_ticks | awk -v hz="$hz" -v before="$1" '
    BEGIN { while ((getline line < before) > 0) { split(line, f, " "); was[f[1]] += f[2] } }
    { now[$1] += $2 }
    END { for (n in now) { d = now[n] - was[n]; total += d; if (d > 0) by[n] = d }
      printf "daemon CPU %.1f s:", total / hz
      k = 0; while (k < 10) { best = ""; for (n in by) if (best == "" || by[n] > by[best]) best = n
        if (best == "") break; printf " %s %.1f", best, by[best] / hz; delete by[best]; k++ }
      print "" }'
}
# the store's commits and writes so far, and the writes per commit since "$1 $2" (commits writes)
store_counts() { echo "$(metric minicluster_store_commits_total) $(metric minicluster_store_writes_total)"; }
per_commit() {
  set -- $1 $2 $(store_counts)
  awk -v c="$(( $3 - $1 ))" -v w="$(( $4 - $2 ))" \
    'BEGIN { printf "%d store writes in %d commits (%.1f per commit)", w, c, c ? w / c : 0 }'
}
live_heap() { jcmd "$PID" GC.class_histogram >"$WORK/histogram"; awk '$1 == "Total" {print $3}' "$WORK/histogram"; }
now() { date +%s.%N; }
# progress is read from one watch of the pods (kubectl decodes it), not from lists: with 10,000 pods a list costs the
# daemon seconds and polling it would load the daemon being measured
"$KUBECTL" get pods --watch --output-watch-events \
  -o 'jsonpath={.type} {.object.metadata.name} {.object.status.phase}{"\n"}' >"$WORK/events" 2>"$WORK/watch.err" &
WATCH=$!
# how many pods exist (any phase: "all"), or are Running ("Running"), by the watch so far
seen() {
  awk -v want="$1" '$1 == "DELETED" { delete phase[$2]; next } NF >= 2 { phase[$2] = $3 }
    END { n = 0; for (pod in phase) if (want == "all" || phase[pod] == want) n++; print n }' "$WORK/events"
}
# waits (bounded: 3,000 polls of 0.1 s at most) until seen "$1" is "$2"
await() {
  for _ in $(seq 1 3000); do [ "$(seen "$1")" -eq "$2" ] && return 0; kill -0 $PID || return 1; sleep 0.1; done
  return 1
}
idle_heap=$(live_heap)
echo "idle: RSS $(rss_mb) MB, live heap after full GC $(( idle_heap / 1048576 )) MB"

BATCH=1000
counts=$(store_counts)
thread_ticks >"$WORK/ticks"
if [ "$MODE" = pods ]; then
  for ((first = 0; first < PODS; first += BATCH)); do
    python3 - "$first" "$BATCH" "$PODS" >"$WORK/batch-$first.json" <<'PY'
import json, sys
first, batch, total = map(int, sys.argv[1:])
items = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sim-%d" % i, "labels": {"app": "sim"}},
          "spec": {"containers": [{"name": "c", "image": "busybox"}]}} for i in range(first, min(first + batch, total))]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
  done
  start=$(now)
  for file in "$WORK"/batch-*.json; do
    "$KUBECTL" create -f "$file" >/dev/null &
  done
  wait $(jobs -p | grep -v -e "^$PID$" -e "^$WATCH$") 2>/dev/null || true
  created=$(now)
  echo "created $PODS pods (lists of $BATCH, $(( (PODS + BATCH - 1) / BATCH )) kubectl create at once) in $(echo "$created - $start" | bc) s"
else
  start=$(now)
  "$KUBECTL" create -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "sim"},
 "spec": {"replicas": $PODS, "selector": {"app": "sim"},
  "template": {"metadata": {"labels": {"app": "sim"}}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}
EOF
  await all "$PODS" || { echo "not all $PODS pods were created"; exit 1; }
  echo "the replication controller created $PODS pods in $(echo "$(now) - $start" | bc) s"
fi
await Running "$PODS" || { echo "not all pods went Running"; exit 1; }
running=$(now)
echo "RESULT $PODS pods created, scheduled and Running in $(echo "$running - $start" | bc) s (goal <= 10 s); RSS $(rss_mb) MB, peak $(peak_mb) MB"
echo "create to Running: $(per_commit $counts)"
echo "create to Running: $(cpu_since "$WORK/ticks")"
sleep 5
echo "RSS with $PODS pods Running: $(rss_mb) MB (goals: <= 400 MB issue 12, <= 300 MB issue 15)"

t0=$(date +%s%N); "$KUBECTL" get pods -o name >"$WORK/names"; t1=$(date +%s%N)
echo "kubectl get pods -o name: $(wc -l <"$WORK/names") pods in $(( (t1 - t0) / 1000000 )) ms"
t0=$(date +%s%N); "$KUBECTL" get pods --no-headers | grep -c Running >"$WORK/running"; t1=$(date +%s%N)
echo "kubectl get pods (table): $(cat "$WORK/running") Running in $(( (t1 - t0) / 1000000 )) ms"
t0=$(date +%s%N); "$KUBECTL" get "$(head -1 "$WORK/names")" >/dev/null; t1=$(date +%s%N)
echo "kubectl get $(head -1 "$WORK/names") in $(( (t1 - t0) / 1000000 )) ms"
watch_sees_create "with $PODS pods"
"$KUBECTL" wait --for=condition=Ready pod/probe --timeout=30s >/dev/null && echo "probe Ready"
"$KUBECTL" delete pod probe --wait=true >/dev/null
echo "event objects: $("$KUBECTL" get events -A --no-headers 2>/dev/null | wc -l)"
loaded_heap=$(live_heap)
echo "live heap after full GC $(( loaded_heap / 1048576 )) MB: $(( (loaded_heap - idle_heap) / PODS )) bytes per pod above idle"
echo "classes holding most of the live heap (instances, bytes, class):"
sed -n '4,15p' "$WORK/histogram" | awk '{printf "  %10s %12s %s\n", $2, $3, $4}'
echo "RSS $(rss_mb) MB, heap used $(( $(metric 'jvm_memory_used_bytes') / 1048576 )) MB of $(( $(metric 'jvm_memory_max_bytes') / 1048576 )) MB"

counts=$(store_counts)
peak_before=$(peak_mb)
thread_ticks >"$WORK/ticks"
echo 5 >"/proc/$PID/clear_refs" # resets the peak (VmHWM) to the current RSS: the peak below is the delete's
start=$(now)
if [ "$MODE" = pods ]; then
  "$KUBECTL" delete --raw /api/v1/namespaces/default/pods >/dev/null
else
  "$KUBECTL" delete rc sim --wait=false >/dev/null
fi
await all 0 || { echo "not all pods were deleted"; exit 1; }
echo "RESULT $PODS pods deleted (MODE=$MODE) in $(echo "$(now) - $start" | bc) s (goal <= 15 s); RSS $(rss_mb) MB, peak $(peak_mb) MB (before the delete: $peak_before MB)"
echo "delete: $(per_commit $counts)"
echo "delete: $(cpu_since "$WORK/ticks")"
kill -0 $PID 2>/dev/null && echo "daemon alive" || { echo "daemon DIED:"; tail -5 "$WORK/daemon.log"; }

#!/usr/bin/env bash
# What metrics.k8s.io sampling costs (issue 12): the daemon with the node agent and PODS running pods (a deployment of
# sleeping busybox pods), measured over WINDOW seconds twice: with sampling (the default) and without it
# (MINICLUSTER_METRICS_SAMPLING=off). Prints the CPU the daemon used (and, with sampling, its sampler threads' share)
# and the Docker engine's. Not a timed test: it prints figures; the engine is shared, so run it on a quiet machine.
#   usage: minicluster/bench/metrics-cost.sh [PODS] [WINDOW_SECONDS]
# Needs the built jar (mvn -B -DskipTests package), Docker, the test image minicluster-test/busybox:1 and kubectl on
# the PATH (or $KUBECTL).
set -euo pipefail
cd "$(dirname "$0")/../.."
PODS=${1:-20}
WINDOW=${2:-60}
KUBECTL=${KUBECTL:-kubectl}
JAR=minicluster/target/minicluster.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
CIDR=$(docker network inspect minicluster --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' 2>/dev/null \
  | awk '{print $1}')
CIDR=${CIDR:-10.244.0.0/16}
TICKS=$(getconf CLK_TCK)
DOCKERD=$(pidof dockerd | awk '{print $1}')

# utime + stime in ticks of a process (/proc/PID/stat) or of a thread (/proc/PID/task/TID/stat)
ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "$1"; }
# the summed CPU ticks of the daemon's threads whose name starts with metrics- (sampler and stats readers)
sampler_ticks() {
  local sum=0 task
  for task in /proc/"$1"/task/*; do
    if grep -q '^metrics-' "$task/comm" 2>/dev/null; then sum=$((sum + $(ticks "$task/stat"))); fi
  done
  echo "$sum"
}
percent() { echo "scale=2; $1 * 100 / $TICKS / $WINDOW" | bc; }

run() {
  local mode=$1 work port pid
  work=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  MINICLUSTER_METRICS_SAMPLING=$mode java -jar "$JAR" server --no-config --data-dir "$work/data" --api-port "$port" \
    --bind-address 127.0.0.1 --socks-port -1 --offline --node-name bench-metrics --pod-cidr "$CIDR" \
    >"$work/daemon.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do [ -f "$work/data/kubeconfig.yaml" ] && break; sleep 0.5; done
  export KUBECONFIG=$work/data/kubeconfig.yaml
  "$KUBECTL" wait --for=condition=Ready node --all --timeout=120s >/dev/null
  "$KUBECTL" create deployment sleepers --image=minicluster-test/busybox:1 --replicas="$PODS" -- sleep 36000 >/dev/null
  "$KUBECTL" rollout status deployment/sleepers --timeout=300s >/dev/null
  sleep 15 # let start-up work settle (and sampling reach its steady state)
  local d0 s0 e0 d1 s1 e1
  d0=$(ticks /proc/$pid/stat); s0=$(sampler_ticks $pid); e0=$(ticks /proc/"$DOCKERD"/stat)
  sleep "$WINDOW"
  d1=$(ticks /proc/$pid/stat); s1=$(sampler_ticks $pid); e1=$(ticks /proc/"$DOCKERD"/stat)
  echo "sampling $mode, $PODS pods, ${WINDOW}s: daemon $(percent $((d1 - d0)))% of a core" \
    "(sampler threads $(percent $((s1 - s0)))%), dockerd $(percent $((e1 - e0)))%"
  if [ "$mode" = on ]; then
    echo "  kubectl top pods lists $("$KUBECTL" top pods --no-headers | wc -l) pods"
  fi
  "$KUBECTL" delete deployment sleepers --wait=false >/dev/null
  "$KUBECTL" wait --for=delete pod -l app=sleepers --timeout=300s >/dev/null 2>&1 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}

run on
run off

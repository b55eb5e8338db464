# Sourced by the benchmarks (pending-pods.sh, simulated-pods.sh, crd-served.sh) from the repository's root, with HEAP
# set: checks the jar ($JAR), makes the work directory ($WORK), picks a free loopback port ($PORT) and sets $OPTS, the
# daemon's packaged JVM options (service/Launcher.DAEMON_JVM_OPTIONS) with -Xmx$HEAP.
JAR=${JAR:-minicluster/target/minicluster.jar}
[ -f "$JAR" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OPTS="-Xms16m -Xmx$HEAP -XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m \
-XX:TieredStopAtLevel=1 -XX:MaxDirectMemorySize=32m -Dio.netty.allocator.type=unpooled -Dio.netty.noPreferDirect=true \
-XX:+ExitOnOutOfMemoryError -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
export JAR WORK PORT OPTS

# Opens a watch for pod "probe", creates it and says whether the create answered and the watch saw it, "$1" naming the
# moment ("after load"); needs $KUBECTL and KUBECONFIG.
watch_sees_create() {
  "$KUBECTL" get --raw "/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name=probe&timeoutSeconds=15" \
    >"$WORK/watch.json" &
  local watcher=$!
  sleep 2
  "$KUBECTL" run probe --image=busybox >/dev/null && echo "create $1: ok"
  wait $watcher || true
  grep -q '"type":"ADDED"' "$WORK/watch.json" && echo "watch $1: saw ADDED probe" || echo "watch $1: NOTHING seen"
}

# Starts the daemon with no node agent on $PORT in $WORK (log in $WORK/daemon.log), sets $PID, stops it and removes
# $WORK on exit, and waits for its kubeconfig.
start_daemon_without_node() {
  # shellcheck disable=SC2086
  java $OPTS -jar "$JAR" server --no-config --data-dir "$WORK/data" --api-port "$PORT" --bind-address 127.0.0.1 \
    --no-node-agent --socks-port -1 --offline >"$WORK/daemon.log" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
  for _ in $(seq 1 120); do [ -f "$WORK/data/kubeconfig.yaml" ] && break; sleep 0.5; done
}

#!/usr/bin/env bash
# Benchmark: direct vs this gateway vs ssh -D vs microsocks vs dante, all proxies on 127.0.0.1.
# Needs: the shaded jar (mvn -pl socks-gateway package), curl, openssh-server, microsocks, dante-server; with a C
# compiler (cc) it also measures relay-floor.c in copy and splice (zero-copy) mode: the least any relay costs here,
# as reference rows.
# The HTTP server (SocksBench serve) runs in a Docker container the bench starts on a Docker network it creates
# (image imported from the host's static busybox; the host's /usr, holding the JDK, mounted read-only), reached at
# the container's IP; both are removed on exit. BENCH_WEB=loopback (or no reachable Docker) runs it on 127.0.0.1.
# Proxies listen on 127.0.0.1 only; every loop is bounded. Usage: socks-gateway/bench/run.sh [RUNS]
set -euo pipefail

RUNS=${1:-3}
SMALL_REQUESTS=${SMALL_REQUESTS:-5000}
# Sequential requests (after one 1 GiB download) sent through every path before measuring, so a JVM proxy is
# measured JIT-compiled for both workloads, as a long-running daemon would be: without the download, the first
# measured bulk transfer takes branches the compiler had pruned and the recompilation lands in the measurements.
# 0 measures from a cold start.
WARMUP_REQUESTS=${WARMUP_REQUESTS:-10000}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
# Below the ephemeral range (32768+): a wait_port probe there can self-connect and steal the port.
BASE=${BENCH_PORT_BASE:-27100}
WEB=$BASE; GW=$((BASE+1)); MICRO=$((BASE+2)); DANTE=$((BASE+3)); SSHD=$((BASE+4)); SSHD_SOCKS=$((BASE+5)); SINK=$((BASE+6))
FLOOR_COPY=$((BASE+7)); FLOOR_SPLICE=$((BASE+8))
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$HERE/../target/socks-gateway.jar}
WORK=$(mktemp -d /tmp/socks-bench.XXXXXX)
PIDS=()
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# Each relayed connection costs the gateway two descriptors (client + destination).
FD_CAP=$(( ($(ulimit -n) - 256) / 2 ))
if [ "$IDLE_CONNECTIONS" -gt "$FD_CAP" ]; then
  echo "note: open-files limit $(ulimit -n) allows only $FD_CAP relayed connections; using that instead of $IDLE_CONNECTIONS"
  IDLE_CONNECTIONS=$FD_CAP
fi

BENCH_WEB=${BENCH_WEB:-container}
if [ "$BENCH_WEB" = container ] && ! docker info >/dev/null 2>&1; then
  echo "note: Docker is not reachable; serving from a process on 127.0.0.1 instead of a container"
  BENCH_WEB=loopback
fi
TAG=socks-bench-$$
CONTAINER_STARTED=""

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$CONTAINER_STARTED" ]; then
    docker rm -f "$TAG" >/dev/null 2>&1 || true
    docker network rm "$TAG" >/dev/null 2>&1 || true
    docker rmi "$TAG:1" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] || { echo "missing $JAR: run mvn -pl socks-gateway package first" >&2; exit 1; }

wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 never opened" >&2; return 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# CPU ticks (user+system, incl. reaped children) of a proxy's processes: the proxy's own cost, robust to a noisy
# machine in a way throughput is not. dante forks workers (children of the started process); ssh -D is not measured.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14+$15+$16+$17}' "/proc/$pid/stat")))
  done
  echo "$total"
}
descendants() {
  local child
  for child in $(pgrep -P "$1"); do echo -n "$child "; descendants "$child"; done
}
proxy_pids() {
  case "$1" in
    gateway) echo "$GW_PID" ;;
    microsocks) echo "$MICRO_PID" ;;
    "floor copy") echo "$FLOOR_COPY_PID" ;;
    "floor splice") echo "$FLOOR_SPLICE_PID" ;;
    dante) echo "$DANTE_PID $(descendants "$DANTE_PID")" ;;
  esac
}
TICKS=$(getconf CLK_TCK)

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# --- servers -------------------------------------------------------------------------------------------------
if [ "$BENCH_WEB" = container ]; then
  CONTAINER_STARTED=yes
  mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/etc" "$WORK/rootfs/tmp"
  cp "$(readlink -f /bin/busybox)" "$WORK/rootfs/bin/busybox"
  ln -s usr/lib "$WORK/rootfs/lib"; ln -s usr/lib64 "$WORK/rootfs/lib64"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$WORK/rootfs/etc/passwd"
  tar -C "$WORK/rootfs" -c . | docker import - "$TAG:1" >/dev/null
  docker network create "$TAG" >/dev/null
  JAVA_BIN=$(readlink -f "$(command -v java)")
  case "$JAVA_BIN" in /usr/*) ;; *) echo "java must live under /usr to be mounted into the container" >&2; exit 1 ;; esac
  docker run -d --name "$TAG" --network "$TAG" -v /usr:/usr:ro -v "$(readlink -f "$JAR"):/bench.jar:ro" "$TAG:1" \
    "$JAVA_BIN" -Xmx256m -cp /bench.jar io.minicluster.socks.bench.SocksBench serve 8080 --any >/dev/null
  WEB_HOST=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$TAG")
  SUBNET=$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' "$TAG")
  BRIDGE_IP=$(docker network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' "$TAG")
  WEB_PORT=8080
  DANTE_EXTERNAL=$BRIDGE_IP
else
  WEB_HOST=127.0.0.1; WEB_PORT=$WEB; SUBNET=127.0.0.0/8; DANTE_EXTERNAL=127.0.0.1
  java -Xmx256m -cp "$JAR" io.minicluster.socks.bench.SocksBench serve "$WEB" >"$WORK/web.log" 2>&1 & PIDS+=($!)
fi
URL="http://$WEB_HOST:$WEB_PORT"
java -Xmx256m -cp "$JAR" io.minicluster.socks.bench.SocksBench sink "$SINK" >"$WORK/sink.log" 2>&1 & PIDS+=($!)
# GATEWAY_ARGS: extra gateway options for A/B runs, e.g. GATEWAY_ARGS="--worker-threads 4"
# shellcheck disable=SC2086
java -Xms64m -Xmx512m -jar "$JAR" --port "$GW" --allow 127.0.0.1/32 --allow "$SUBNET" --max-connections 20000 \
  ${GATEWAY_ARGS:-} >"$WORK/gateway.log" 2>&1 & GW_PID=$!; PIDS+=($GW_PID)
microsocks -i 127.0.0.1 -p "$MICRO" >"$WORK/microsocks.log" 2>&1 & MICRO_PID=$!; PIDS+=($MICRO_PID)
FLOORS=()
if command -v cc >/dev/null 2>&1 && cc -O2 -pthread -o "$WORK/relay-floor" "$HERE/relay-floor.c"; then
  "$WORK/relay-floor" "$FLOOR_COPY" copy & FLOOR_COPY_PID=$!; PIDS+=($FLOOR_COPY_PID)
  "$WORK/relay-floor" "$FLOOR_SPLICE" splice & FLOOR_SPLICE_PID=$!; PIDS+=($FLOOR_SPLICE_PID)
  FLOORS=("floor copy" "floor splice")
else
  echo "note: no C compiler; the relay-floor reference rows are left out"
fi

cat >"$WORK/danted.conf" <<CONF
logoutput: $WORK/danted.log
internal: 127.0.0.1 port = $DANTE
external: $DANTE_EXTERNAL
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }
socks pass { from: 127.0.0.0/8 to: $SUBNET command: connect }
socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 }
CONF
danted -f "$WORK/danted.conf" -N 2 >/dev/null 2>&1 & DANTE_PID=$!; PIDS+=($DANTE_PID)

mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/userkey"
cp "$WORK/userkey.pub" "$WORK/authorized_keys"
cat >"$WORK/sshd_config" <<CONF
Port $SSHD
ListenAddress 127.0.0.1
HostKey $WORK/hostkey
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
AllowTcpForwarding yes
PidFile $WORK/sshd.pid
CONF
/usr/sbin/sshd -D -e -f "$WORK/sshd_config" >"$WORK/sshd.log" 2>&1 & PIDS+=($!)
wait_port "$SSHD"
# A remote command (not -N) so OpenSSH sets TCP_NODELAY (ssh -N -D stalls ~40 ms per new connection).
ssh -q -i "$WORK/userkey" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
  -p "$SSHD" -D "127.0.0.1:$SSHD_SOCKS" root@127.0.0.1 sleep 3600 </dev/null & PIDS+=($!)

for port in "$GW" "$MICRO" "$DANTE" "$SSHD_SOCKS" "$SINK"; do wait_port "$port"; done
[ ${#FLOORS[@]} -eq 0 ] || { wait_port "$FLOOR_COPY"; wait_port "$FLOOR_SPLICE"; }
for _ in $(seq 1 100); do curl -s -o /dev/null --noproxy '*' "$URL/small" && break; sleep 0.1; done

declare -A PROXY=([direct]="" [gateway]="$GW" ["ssh -D"]="$SSHD_SOCKS" [microsocks]="$MICRO" [dante]="$DANTE"
  ["floor copy"]="$FLOOR_COPY" ["floor splice"]="$FLOOR_SPLICE")
ORDER=(direct gateway "ssh -D" microsocks dante "${FLOORS[@]}")

proxy_args() { [ -n "${PROXY[$1]}" ] && echo "--socks5-hostname 127.0.0.1:${PROXY[$1]}" || echo "--noproxy $WEB_HOST"; }

# sanity: every path returns the small file
for name in "${ORDER[@]}"; do
  size=$(curl -s -o /dev/null $(proxy_args "$name") -w '%{size_download}' "$URL/small")
  [ "$size" = 512 ] || { echo "sanity check failed for $name (got $size bytes)" >&2; exit 1; }
done

if [ "$WARMUP_REQUESTS" -gt 0 ]; then
  for name in "${ORDER[@]}"; do
    curl -s -o /dev/null $(proxy_args "$name") "$URL/big"
    curl -s -o /dev/null $(proxy_args "$name") -H 'Connection: close' "$URL/small?w=[1-$WARMUP_REQUESTS]"
  done
fi

declare -A MBPS RPS BIGCPU SMALLCPU
if [ -z "${SKIP_TRANSFERS:-}" ]; then
for name in "${ORDER[@]}"; do
  : >"$WORK/big-$name"; : >"$WORK/small-$name"; : >"$WORK/bigcpu-$name"; : >"$WORK/smallcpu-$name"
done
for run in $(seq 1 "$RUNS"); do
  for name in "${ORDER[@]}"; do
    pids=$(proxy_pids "$name")
    c0=$(cpu_ticks $pids)
    curl -s -o /dev/null $(proxy_args "$name") -w '%{speed_download}\n' "$URL/big" >>"$WORK/big-$name"
    c1=$(cpu_ticks $pids)
    start=$(date +%s.%N)
    curl -s -o /dev/null $(proxy_args "$name") -H 'Connection: close' "$URL/small?i=[1-$SMALL_REQUESTS]"
    end=$(date +%s.%N)
    c2=$(cpu_ticks $pids)
    echo "$SMALL_REQUESTS $start $end" | awk '{printf "%.1f\n", $1/($3-$2)}' >>"$WORK/small-$name"
    echo $(( (c1 - c0) * 1000 / TICKS )) >>"$WORK/bigcpu-$name"
    echo $(( (c2 - c1) * 1000000 / TICKS / SMALL_REQUESTS )) >>"$WORK/smallcpu-$name"
  done
done
for name in "${ORDER[@]}"; do
  MBPS[$name]=$(awk '{printf "%.1f\n", $1/1048576}' "$WORK/big-$name" | median)
  RPS[$name]=$(median <"$WORK/small-$name")
  BIGCPU[$name]=$(median <"$WORK/bigcpu-$name")
  SMALLCPU[$name]=$(median <"$WORK/smallcpu-$name")
done

echo
echo "Server: $URL ($BENCH_WEB); proxies on 127.0.0.1. Medians of $RUNS runs (1 GiB download; $SMALL_REQUESTS sequential requests, new connection each;" \
  "one 1 GiB download and $WARMUP_REQUESTS requests per path as warm-up first)"
printf '%-13s %12s %9s %12s %9s %14s %12s\n' config "1GiB MiB/s" "vs direct" "req/s" "vs direct" "proxy CPU ms/GiB" "CPU us/conn"
for name in "${ORDER[@]}"; do
  cpu_big="-"; cpu_small="-"
  [ -n "$(proxy_pids "$name")" ] && cpu_big=${BIGCPU[$name]} && cpu_small=${SMALLCPU[$name]}
  printf '%-13s %12s %9s %12s %9s %14s %12s\n' "$name" "${MBPS[$name]}" \
    "$(awk -v a="${MBPS[$name]}" -v b="${MBPS[direct]}" 'BEGIN{printf "%.2f", a/b}')" "${RPS[$name]}" \
    "$(awk -v a="${RPS[$name]}" -v b="${RPS[direct]}" 'BEGIN{printf "%.2f", a/b}')" "$cpu_big" "$cpu_small"
done
fi

# --- idle connections: gateway RSS --------------------------------------------------------------------------
before=$(rss_kib "$GW_PID")
java -Xmx256m -cp "$JAR" io.minicluster.socks.bench.SocksBench idle "$GW" "$SINK" "$IDLE_CONNECTIONS" 15 \
  >"$WORK/idle.log" 2>&1 & IDLE_PID=$!; PIDS+=($IDLE_PID)
for _ in $(seq 1 600); do grep -q READY "$WORK/idle.log" && break; kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.1; done
grep -q READY "$WORK/idle.log" || { echo "idle client failed:"; cat "$WORK/idle.log"; exit 1; }
sleep 2
during=$(rss_kib "$GW_PID")
active=$(curl -s --noproxy '*' "http://127.0.0.1:$GW/metrics" | awk '/^socks_gateway_connections_active/ {print $2}')
echo
echo "Idle: $(awk '{print $2}' "$WORK/idle.log" | head -1) connections open ($active active per gateway metrics," \
  "opened in $(awk '{print $3}' "$WORK/idle.log" | head -1) s); gateway RSS $((before/1024)) MiB -> $((during/1024)) MiB" \
  "(+$(( (during-before) / IDLE_CONNECTIONS )) KiB per connection incl. JVM growth)"
wait "$IDLE_PID" || true

# --- slow reader: RSS must stay flat ------------------------------------------------------------------------
curl -s -o /dev/null --limit-rate 1M --socks5-hostname "127.0.0.1:$GW" "$URL/big" & SLOW_PID=$!; PIDS+=($SLOW_PID)
samples=()
for _ in $(seq 1 12); do sleep 1; samples+=("$(( $(rss_kib "$GW_PID") / 1024 ))"); done
kill "$SLOW_PID" 2>/dev/null || true
pauses=$(curl -s --noproxy '*' "http://127.0.0.1:$GW/metrics" | awk '/^socks_gateway_read_pauses_total/ {print $2}')
echo "Slow reader (curl --limit-rate 1M on 1 GiB, 12 s): gateway RSS MiB per second: ${samples[*]}; read pauses: $pauses"

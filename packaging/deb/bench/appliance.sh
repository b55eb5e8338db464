#!/bin/sh
# Appliance figures, measured on a fresh Debian 12 booted with systemd as PID 1 in a container (the image the packaging
# tests build from debootstrap, see packaging/deb/src/test/.../DebianImage.java):
#   1. install.sh from nothing installed: start -> node Ready, with the apt time apart
#   2. install.sh where Docker and Java are installed (after uninstall.sh --purge), RUNS times: start -> node Ready,
#      and the daemon's own start (dpkg --configure, which starts the service, -> node Ready)
#   3. `systemctl start minicluster` (returns at READY=1) with the class-data-sharing archive and without
#      (MINICLUSTER_CDS=off), RUNS times each, interleaved
#   4. the daemon's resident memory idle and with 100 pods (busybox sleep), 30 s after each state is reached
# A benchmark, not a test: it prints figures. Needs root, Docker, the built package (mvn -B package), the test image
# minicluster-test/busybox:1 (minicluster/src/test/images/build-images.sh), and the system image: run the packaging
# tests once (they build it) or give IMAGE.
#
# Usage: packaging/deb/bench/appliance.sh [RUNS]        Environment: IMAGE (default: the newest minicluster-it/debian)
set -eu

RUNS="${1:-5}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
NAME=minicluster-bench
IMAGE="${IMAGE:-$(docker images --format '{{.CreatedAt}}|{{.Repository}}:{{.Tag}}' 'minicluster-it/debian' \
  | sort -r | head -n 1 | cut -d'|' -f2)}"
DEB="$(find "$ROOT/packaging/deb/target" -maxdepth 1 -name 'minicluster_*_all.deb' 2>/dev/null | head -n 1)"

[ -n "$IMAGE" ] || { echo "no minicluster-it/debian image: run the packaging tests once, or set IMAGE" >&2; exit 1; }
[ -n "$DEB" ] || { echo "no package in packaging/deb/target: run mvn -B package" >&2; exit 1; }
docker image inspect minicluster-test/busybox:1 >/dev/null 2>&1 \
  || { echo "no minicluster-test/busybox:1: run minicluster/src/test/images/build-images.sh" >&2; exit 1; }

# runs a script inside the system container (its $ expand there, hence the single quotes below)
in_system() { docker exec "$NAME" sh -c "$1"; }
cleanup() { docker rm -f -v "$NAME" >/dev/null 2>&1 || true; docker volume rm -f "$NAME-docker" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

echo "image $IMAGE, package $(basename "$DEB"), $(nproc) cores"
docker run -d --name "$NAME" --hostname "$NAME" --cap-add ALL --cap-drop SYS_RESOURCE \
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined --device-cgroup-rule 'a *:* rwm' \
  --tmpfs /run --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:rw -v "$NAME-docker:/var/lib/docker" \
  -v minicluster-it-apt-archives:/var/cache/apt/archives "$IMAGE" /lib/systemd/systemd >/dev/null
until [ "$(in_system 'systemctl is-system-running' 2>/dev/null)" = running ]; do sleep 1; done
in_system "mkdir -p /src"
docker cp "$ROOT/installer" "$NAME:/src"
docker cp "$DEB" "$NAME:/src/"
PKG="/src/$(basename "$DEB")"

median() { echo "$*" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# the installer's own summary: "... Ready in T s (apt: A s)" and "... Ready, D s after the daemon was started"
install_figures() {
  out="$(in_system "sh /src/installer/install.sh --offline --deb $PKG" 2>&1)" \
    || { echo "$out" >&2; echo "install.sh failed" >&2; exit 1; }
  total="$(echo "$out" | sed -n 's/.* Ready in \([0-9.]*\) s (apt: \([0-9.]*\) s).*/\1 \2/p')"
  daemon="$(echo "$out" | sed -n 's/.*Ready, \([0-9.]*\) s after the daemon was started.*/\1/p')"
  echo "$total $daemon"
}

# shellcheck disable=SC2046
set -- $(install_figures)
echo "1. from nothing installed:        install.sh -> node Ready $1 s, of which apt $2 s; daemon start -> Ready $3 s"
totals="" daemons=""
i=0
while [ "$i" -lt "$RUNS" ]; do
  in_system "sh /src/installer/uninstall.sh --purge" >/dev/null
  # shellcheck disable=SC2046
  set -- $(install_figures)
  totals="$totals $1" daemons="$daemons $3"
  i=$((i + 1))
done
echo "2. with Docker and Java present:  install.sh -> node Ready (s)$totals (median $(median "$totals"));" \
  "daemon start -> Ready (s)$daemons (median $(median "$daemons"))"

ms() { date +%s%3N; }
start_ms() {
  # (reset-failed: these starts come faster than the unit's start limit allows)
  in_system "systemctl stop minicluster && systemctl reset-failed minicluster"
  s=$(ms); in_system "systemctl start minicluster"; e=$(ms)
  echo $((e - s))
}
# a clean stop keeps the archive the first run recorded
in_system "systemctl restart minicluster && systemctl stop minicluster && systemctl start minicluster"
with="" without=""
i=0
while [ "$i" -lt "$RUNS" ]; do
  with="$with $(start_ms)"
  in_system "systemctl set-environment MINICLUSTER_CDS=off"
  without="$without $(start_ms)"
  in_system "systemctl unset-environment MINICLUSTER_CDS"
  i=$((i + 1))
done
echo "3. systemctl start -> READY (ms): with the CDS archive$with (median $(median "$with"));" \
  "without$without (median $(median "$without"))"
in_system "ls -l /var/cache/minicluster/" | sed -n 's/^.* \([0-9]*\) [A-Z][a-z][a-z] .* \(server-.*\)$/   archive \2: \1 bytes/p'

rss() {
  # shellcheck disable=SC2016
  in_system 'for p in /proc/[0-9]*; do
      case "$(readlink $p/exe)" in
        */java) if tr "\0" " " < $p/cmdline | grep -q "minicluster.jar server"; then
            sed -n "s/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p" $p/status; fi ;;
      esac; done' | awk 'NR == 1 { printf "%.0f", $1 / 1024 }'
}
docker save minicluster-test/busybox:1 | docker exec -i "$NAME" docker load >/dev/null
until in_system "kubectl get nodes --no-headers" | grep -q ' Ready'; do sleep 1; done
sleep 30
idle=$(rss)
# shellcheck disable=SC2016
in_system 'for i in $(seq 1 100); do printf "apiVersion: v1\nkind: Pod\nmetadata: {name: p%s}\nspec:\n  containers:\n  - {name: c, image: minicluster-test/busybox:1, imagePullPolicy: Never, command: [sleep, \"3600\"]}\n---\n" $i; done > /tmp/pods.yaml && kubectl apply -f /tmp/pods.yaml >/dev/null'
t0=$(ms)
until [ "$(in_system 'kubectl get pods --no-headers 2>/dev/null | grep -c Running' || true)" = 100 ]; do sleep 2; done
t1=$(ms)
sleep 30
loaded=$(rss)
echo "4. daemon RSS: idle $idle MB; with 100 pods $loaded MB (100 pods Running in $(( (t1 - t0) / 1000 )) s)"

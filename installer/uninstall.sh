#!/bin/sh
# minicluster uninstaller: stops the service, removes the pod containers (by label) and the Docker network
# (`minicluster uninstall`), then the package with its systemd unit (`dpkg -r`). With --purge also the state and the
# certificates (/var/lib/minicluster or the configured data directory), the configuration (`dpkg -P`), and
# minicluster's entries in the invoking user's ~/.kube/config. Docker, Java, iptables and kubectl stay installed,
# and nothing else on the host is touched.
#
#   sudo sh /usr/share/minicluster/uninstall.sh [--purge] [--dry-run] [--kubeconfig FILE]
#
# --kubeconfig FILE (MINICLUSTER_KUBECONFIG): the file install.sh --kubeconfig merged the context into
set -u

PURGE=0
DRY_RUN=0
USER_KUBECONFIG="${MINICLUSTER_KUBECONFIG:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) PURGE=1 ;;
    --dry-run) DRY_RUN=1 ;;
    --kubeconfig) USER_KUBECONFIG="${2:?--kubeconfig needs a file}"; shift ;;
    --kubeconfig=*) USER_KUBECONFIG="${1#*=}" ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$1' (--purge, --dry-run, --kubeconfig FILE)" >&2; exit 2 ;;
  esac
  shift
done

CONFIG=/etc/minicluster/config.yaml
DEFAULT_DATA_DIR=/var/lib/minicluster
PID_FILE=/run/minicluster.pid

now_ms() { date +%s%3N; }
seconds_since() { echo "$1" | awk -v now="$(now_ms)" '{ printf "%.1f", (now - $1) / 1000 }'; }
STAGE=""
stage() { STAGE="$1"; STAGE_START=$(now_ms); echo "==> $1"; }
stage_done() { echo "    done ($(seconds_since "$STAGE_START") s)"; }
note() { echo "    $*"; }
fail() {
  echo "ERROR: ${STAGE:+$STAGE: }$1" >&2
  [ -n "${2:-}" ] && echo "  fix: $2" >&2
  exit 1
}
run() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "    would run: $*"
    return 0
  fi
  "$@"
}
has() { command -v "$1" >/dev/null 2>&1; }

if [ "$(id -u)" != 0 ] && [ "$DRY_RUN" = 0 ]; then
  fail "the uninstaller must run as root" "run it with sudo"
fi

STATUS=$(dpkg-query -W -f='${db:Status-Status}' minicluster 2>/dev/null || true)
# the effective value of a top-level key of config.yaml, empty when absent (read before the configuration goes)
config_value() {
  [ -r "$CONFIG" ] || return 0
  sed -n "s/^$1:[[:space:]]*//p" "$CONFIG" | sed -e 's/[[:space:]]*#.*$//' -e 's/^"\(.*\)"$/\1/' \
    -e "s/^'\(.*\)'\$/\1/" | tail -n 1
}
DATA_DIR=$(config_value data-dir)
DATA_DIR=${DATA_DIR:-$DEFAULT_DATA_DIR}
POD_NETWORK=$(config_value pod-network)
POD_NETWORK=${POD_NETWORK:-minicluster}

# the service proxy's chains of this installation, MC-<the first 6 hex digits of the SHA-256 of its data directory>-
# (what the daemon names them), and the jumps to them from the built-in chains, on each iptables backend that has them
remove_proxy_chains() {
  prefix="MC-$(printf %s "$DATA_DIR" | sha256sum | cut -c1-6 | tr a-f A-F)-"
  for flavour in legacy nft; do
    has "iptables-$flavour-save" || continue
    input=$("iptables-$flavour-save" 2>/dev/null | awk -v p="$prefix" '
      /^\*/ { table = $0; n = 0; dels = ""; next }
      /^:/ { c = substr($1, 2); if (index(c, p) == 1) chains[++n] = c; next }
      /^-A / { if (index($2, p) != 1 && index($0, " -j " p) > 0) dels = dels "-D" substr($0, 3) "\n"; next }
      /^COMMIT/ {
        if (n == 0 && dels == "") next
        print table
        for (i = 1; i <= n; i++) print ":" chains[i] " - [0:0]"
        printf "%s", dels
        for (i = 1; i <= n; i++) print "-X " chains[i]
        print "COMMIT"
      }')
    if [ -n "$input" ]; then
      printf '%s\n' "$input" | run "iptables-$flavour-restore" -w 5 --noflush \
        && note "removed the service proxy's iptables rules ($prefix*, iptables-$flavour)"
    fi
  done
}

# ------------------------------------------------------------------------------------- the service and its pods

stage "stopping minicluster and removing its pods"
if [ "$STATUS" = installed ] && has minicluster; then
  if [ "$PURGE" = 1 ]; then set -- --purge; else set --; fi
  if ! run minicluster uninstall "$@"; then
    # the command failed (a broken Java, say): the same by hand, so that nothing is left behind
    note "minicluster uninstall failed; stopping the service and removing its containers directly"
    if [ -d /run/systemd/system ]; then
      run systemctl stop minicluster.service 2>/dev/null
    elif [ -f "$PID_FILE" ]; then
      run kill "$(cat "$PID_FILE")" 2>/dev/null
    fi
    # only this installation's: the containers of the pods its node agent keeps a directory for (other
    # installations and tests on the same engine keep theirs), then its pod network once nothing uses it
    if has docker && docker info >/dev/null 2>&1; then
      for pod in "$DATA_DIR"/agent/pods/*; do
        [ -d "$pod" ] || continue
        containers=$(docker ps -aq --filter "label=io.minicluster.pod.uid=$(basename "$pod")")
        # shellcheck disable=SC2086
        [ -z "$containers" ] || run docker rm -f $containers >/dev/null
      done
      if [ -n "$(docker network inspect -f '{{index .Labels "io.minicluster.network"}}' "$POD_NETWORK" 2>/dev/null)" ]; then
        run docker network rm "$POD_NETWORK" >/dev/null || note "the Docker network $POD_NETWORK is still in use: left"
      fi
    fi
    remove_proxy_chains
  fi
elif [ -z "$STATUS" ] || [ "$STATUS" = not-installed ]; then
  note "minicluster is not installed"
else
  note "the package is $STATUS: nothing runs"
fi
stage_done

# ------------------------------------------------------------------------------------------------ the package

stage "removing the package"
if [ -n "$STATUS" ] && [ "$STATUS" != not-installed ]; then
  if [ "$PURGE" = 1 ]; then
    run dpkg --purge minicluster || fail "dpkg could not purge minicluster" "see dpkg's message above"
  elif [ "$STATUS" != config-files ]; then
    run dpkg --remove minicluster || fail "dpkg could not remove minicluster" "see dpkg's message above"
  else
    note "removed already (its configuration and state remain; --purge removes them)"
  fi
  if [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    # a failed start leaves the unit in systemd's list until this
    run systemctl reset-failed minicluster.service 2>/dev/null || true
  fi
else
  note "nothing to remove"
fi
stage_done

# ------------------------------------------------------------------------------------------------- with --purge

if [ "$PURGE" = 1 ]; then
  stage "removing the state and the kubeconfig entries"
  # a data directory other than the default one, if it holds minicluster's state
  if [ "$DATA_DIR" != "$DEFAULT_DATA_DIR" ] && [ -d "$DATA_DIR" ]; then
    if [ -e "$DATA_DIR/state.db" ] || [ -d "$DATA_DIR/pki" ]; then
      run rm -rf "$DATA_DIR"
      note "removed $DATA_DIR"
    else
      note "left $DATA_DIR: it does not look like minicluster's state"
    fi
  fi
  TARGET_USER="${SUDO_USER:-root}"
  TARGET_HOME=$(getent passwd "$TARGET_USER" 2>/dev/null | cut -d: -f6)
  TARGET_HOME=${TARGET_HOME:-${HOME:-/root}}
  if [ -n "$USER_KUBECONFIG" ]; then
    KUBE_DIR=$(dirname "$USER_KUBECONFIG")
    KUBE_CONFIG=$USER_KUBECONFIG
  else
    KUBE_DIR="$TARGET_HOME/.kube"
    KUBE_CONFIG="$KUBE_DIR/config"
  fi
  [ -f "$KUBE_DIR/minicluster.yaml" ] && run rm -f "$KUBE_DIR/minicluster.yaml"
  # the names in the file, both as the installer copies it and as kubectl writes it ("  name:" under each entry)
  names() { sed -n 's/^- *name: *//p; s/^  name: *//p' "$1" | sort -u | tr '\n' ' '; }
  if [ -f "$KUBE_CONFIG" ] && echo " $(names "$KUBE_CONFIG")" | grep -q ' minicluster '; then
    if [ "$(names "$KUBE_CONFIG")" = "minicluster minicluster-admin " ]; then
      # only minicluster's entries: the file the installer made
      run rm -f "$KUBE_CONFIG"
      [ "$DRY_RUN" = 1 ] || [ -n "$USER_KUBECONFIG" ] || rmdir "$KUBE_DIR" 2>/dev/null || true
      note "removed $KUBE_CONFIG"
    elif has kubectl; then
      current=$(kubectl --kubeconfig "$KUBE_CONFIG" config current-context 2>/dev/null || true)
      run kubectl --kubeconfig "$KUBE_CONFIG" config delete-context minicluster >/dev/null 2>&1
      run kubectl --kubeconfig "$KUBE_CONFIG" config delete-cluster minicluster >/dev/null 2>&1
      run kubectl --kubeconfig "$KUBE_CONFIG" config delete-user minicluster-admin >/dev/null 2>&1
      if [ "$current" = minicluster ]; then
        run kubectl --kubeconfig "$KUBE_CONFIG" config unset current-context >/dev/null 2>&1
      fi
      note "removed the context minicluster from $KUBE_CONFIG (other clusters kept)"
    else
      note "kubectl is missing: remove the context, cluster minicluster and user minicluster-admin from $KUBE_CONFIG by hand"
    fi
  fi
  stage_done
fi

echo ""
if [ "$DRY_RUN" = 1 ]; then
  echo "Dry run: nothing was changed."
elif [ "$PURGE" = 1 ]; then
  echo "minicluster is uninstalled, its state and configuration removed."
else
  echo "minicluster is uninstalled; its configuration ($CONFIG) and state ($DATA_DIR) remain: installing it again" \
    "brings the cluster back; uninstall.sh --purge removes them."
fi
echo "Docker, Java, iptables and kubectl stay installed (apt-get remove them if nothing else needs them)."

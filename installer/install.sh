#!/bin/sh
# minicluster installer: a single-node Kubernetes appliance on Ubuntu 22.04/24.04 or Debian 12/13, in one line:
#
#   curl -sfL <release URL>/install.sh | sudo sh -                     (options after: sudo sh -s -- --offline ...)
#   sudo sh installer/install.sh                                       (from a checkout: builds the package with mvn)
#   sudo sh install.sh --deb minicluster_0.1.0_all.deb                 (a package at hand)
#
# Stages: check the system; install what is missing with apt (a Docker engine unless one answers, a Java 17+ headless
# runtime, iptables, kubectl where the distribution packages it); install the minicluster package; write the options
# given here into /etc/minicluster/config.yaml; start the service (systemd, or `minicluster start` in the background
# where systemd is not PID 1); wait until the node is Ready; merge the admin kubeconfig into the invoking user's
# ~/.kube/config (context "minicluster"); print the next steps. Each stage prints its duration; a failure says what
# failed and how to fix it; running it again changes nothing that is already right; --dry-run changes nothing.
#
# Options (environment variable in parentheses):
#   --deb FILE          install this package instead of building or downloading one
#   --version VERSION   version to download from the release URL (MINICLUSTER_VERSION; default: the URL's LATEST)
#   --release-url URL   where releases are: URL/minicluster_VERSION_all.deb, URL/SHA256SUMS, URL/LATEST
#                       (MINICLUSTER_RELEASE_URL)
#   --api-port PORT     API server port (MINICLUSTER_API_PORT; default 6443)
#   --socks-port PORT   SOCKS gateway port (MINICLUSTER_SOCKS_PORT; default 1080)
#   --node-name NAME    the node's name (MINICLUSTER_NODE_NAME; default: the host name)
#   --data-dir DIR      state directory (MINICLUSTER_DATA_DIR; default /var/lib/minicluster)
#   --pod-network NAME  the Docker network of the pods (MINICLUSTER_POD_NETWORK; default minicluster)
#   --pod-cidr CIDR     its subnet, when the default one is taken on this machine (MINICLUSTER_POD_CIDR;
#                       default 10.244.0.0/16)
#   --kubeconfig FILE   merge the admin kubeconfig into FILE instead of ~/.kube/config of the user who ran sudo
#                       (MINICLUSTER_KUBECONFIG)
#   --offline           the daemon never pulls images; it runs the images present on the machine
#                       (MINICLUSTER_OFFLINE=1)
#   --no-kubectl        do not install kubectl (MINICLUSTER_NO_KUBECTL=1)
#   --timeout SECONDS   how long to wait for the node to be Ready (MINICLUSTER_TIMEOUT; default 180)
#   --dry-run           print what would be done and change nothing
#   -h, --help          this text
set -u

# ---------------------------------------------------------------------------------------------------------- settings

DEB="${MINICLUSTER_DEB:-}"
VERSION="${MINICLUSTER_VERSION:-}"
# where `curl ... | sh` installs from when no --deb is given (set here when releases are published)
DEFAULT_RELEASE_URL=""
RELEASE_URL="${MINICLUSTER_RELEASE_URL:-}"
API_PORT="${MINICLUSTER_API_PORT:-}"
SOCKS_PORT="${MINICLUSTER_SOCKS_PORT:-}"
NODE_NAME="${MINICLUSTER_NODE_NAME:-}"
DATA_DIR="${MINICLUSTER_DATA_DIR:-}"
POD_NETWORK="${MINICLUSTER_POD_NETWORK:-}"
POD_CIDR="${MINICLUSTER_POD_CIDR:-}"
USER_KUBECONFIG="${MINICLUSTER_KUBECONFIG:-}"
OFFLINE="${MINICLUSTER_OFFLINE:-0}"
NO_KUBECTL="${MINICLUSTER_NO_KUBECTL:-0}"
TIMEOUT="${MINICLUSTER_TIMEOUT:-180}"
DRY_RUN=0

CONFIG=/etc/minicluster/config.yaml
DEFAULT_DATA_DIR=/var/lib/minicluster
PID_FILE=/run/minicluster.pid
SERVICE_LOG=/var/log/minicluster.log
# the configuration keys of the daemon's options (each command-line flag is also a key of config.yaml)
KEY_API_PORT=api-port
KEY_SOCKS_PORT=socks-port
KEY_NODE_NAME=node-name
KEY_DATA_DIR=data-dir
KEY_POD_NETWORK=pod-network
KEY_POD_CIDR=pod-cidr
KEY_OFFLINE=offline

usage() {
  sed -n '2,/^set -u$/p' "$0" 2>/dev/null | sed -e '/^set -u$/d' -e 's/^# \{0,1\}//' \
    || echo "usage: install.sh [--deb FILE] [--version V] [--release-url URL] [--api-port N] [--socks-port N]" \
      "[--node-name NAME] [--data-dir DIR] [--pod-network NAME] [--pod-cidr CIDR] [--kubeconfig FILE] [--offline]" \
      "[--no-kubectl] [--timeout S] [--dry-run]"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --deb) DEB="${2:?--deb needs a file}"; shift ;;
    --deb=*) DEB="${1#*=}" ;;
    --version) VERSION="${2:?--version needs a version}"; shift ;;
    --version=*) VERSION="${1#*=}" ;;
    --release-url) RELEASE_URL="${2:?--release-url needs a URL}"; shift ;;
    --release-url=*) RELEASE_URL="${1#*=}" ;;
    --api-port) API_PORT="${2:?--api-port needs a port}"; shift ;;
    --api-port=*) API_PORT="${1#*=}" ;;
    --socks-port) SOCKS_PORT="${2:?--socks-port needs a port}"; shift ;;
    --socks-port=*) SOCKS_PORT="${1#*=}" ;;
    --node-name) NODE_NAME="${2:?--node-name needs a name}"; shift ;;
    --node-name=*) NODE_NAME="${1#*=}" ;;
    --data-dir) DATA_DIR="${2:?--data-dir needs a directory}"; shift ;;
    --data-dir=*) DATA_DIR="${1#*=}" ;;
    --pod-network) POD_NETWORK="${2:?--pod-network needs a name}"; shift ;;
    --pod-network=*) POD_NETWORK="${1#*=}" ;;
    --pod-cidr) POD_CIDR="${2:?--pod-cidr needs a subnet}"; shift ;;
    --pod-cidr=*) POD_CIDR="${1#*=}" ;;
    --kubeconfig) USER_KUBECONFIG="${2:?--kubeconfig needs a file}"; shift ;;
    --kubeconfig=*) USER_KUBECONFIG="${1#*=}" ;;
    --offline) OFFLINE=1 ;;
    --no-kubectl) NO_KUBECTL=1 ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift ;;
    --timeout=*) TIMEOUT="${1#*=}" ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# ----------------------------------------------------------------------------------------------------------- output

LOG="$(mktemp "${TMPDIR:-/tmp}/minicluster-install.XXXXXX")" \
  || { echo "install.sh: cannot create a log file" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/minicluster-install.XXXXXX")" || { echo "install.sh: no temporary directory" >&2; exit 1; }
trap 'rm -rf "$WORK"' EXIT
trap 'echo; echo "install.sh: interrupted; the log is $LOG" >&2; exit 130' INT TERM

now_ms() { date +%s%3N; }
seconds_since() { echo "$1" | awk -v now="$(now_ms)" '{ printf "%.1f", (now - $1) / 1000 }'; }

INSTALL_START=$(now_ms)
STAGE_START=$INSTALL_START
STAGE=""
APT_SECONDS=""

stage() {
  STAGE="$1"
  STAGE_START=$(now_ms)
  echo "==> $STAGE"
}

stage_done() {
  echo "    done ($(seconds_since "$STAGE_START") s)"
}

note() { echo "    $*"; }

# fail WHAT FIX: says what failed and how to fix it, with the end of the log of the commands run, and stops
fail() {
  echo "" >&2
  echo "ERROR: ${STAGE:+$STAGE: }$1" >&2
  [ -n "${2:-}" ] && echo "  fix: $2" >&2
  if [ -s "$LOG" ]; then
    echo "  the last commands' output (whole log: $LOG):" >&2
    tail -n 15 "$LOG" | sed 's/^/    | /' >&2
  fi
  exit 1
}

# run CMD...: runs a command that changes the system, its output in the log; under --dry-run only prints it
run() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "    would run: $*"
    return 0
  fi
  echo "+ $*" >> "$LOG"
  "$@" >> "$LOG" 2>&1
}

apt_get() {
  run env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 "$@"
}

has() { command -v "$1" >/dev/null 2>&1; }

is_port() { case "$1" in ''|*[!0-9]*) return 1 ;; *) [ "$1" -ge 1 ] && [ "$1" -le 65535 ] ;; esac; }

# --------------------------------------------------------------------------------------------------- 1. the system

stage "checking the system"

if [ "$(id -u)" != 0 ] && [ "$DRY_RUN" = 0 ]; then
  fail "the installer must run as root" "run it with sudo: curl -sfL <url>/install.sh | sudo sh -  (or sudo sh install.sh)"
fi

if [ ! -r /etc/os-release ]; then
  fail "/etc/os-release is missing: cannot tell which system this is" \
    "minicluster installs on Ubuntu 22.04/24.04 and Debian 12/13"
fi
# shellcheck disable=SC1091
OS_ID=$(. /etc/os-release && echo "${ID:-}")
# shellcheck disable=SC1091
OS_VERSION=$(. /etc/os-release && echo "${VERSION_ID:-}")
# shellcheck disable=SC1091
OS_NAME=$(. /etc/os-release && echo "${PRETTY_NAME:-$ID}")
case "$OS_ID:$OS_VERSION" in
  ubuntu:22.04|ubuntu:24.04|debian:12|debian:13) ;;
  *) fail "$OS_NAME is not supported" \
       "minicluster installs on Ubuntu 22.04 or 24.04 and Debian 12 or 13; on another system, run the jar: see the README's 'Run it'" ;;
esac

ARCH=$(dpkg --print-architecture 2>/dev/null || echo unknown)
case "$ARCH" in
  amd64|arm64) ;;
  *) fail "the $ARCH architecture is not supported" "minicluster runs on amd64 and arm64 machines" ;;
esac

for port_option in "api-port:$API_PORT" "socks-port:$SOCKS_PORT"; do
  value=${port_option#*:}
  if [ -n "$value" ] && ! is_port "$value"; then
    fail "--${port_option%%:*} $value is not a port" "give a number from 1 to 65535"
  fi
done
case "$TIMEOUT" in ''|*[!0-9]*) fail "--timeout $TIMEOUT is not a number of seconds" "give a whole number" ;; esac
if [ -n "$DATA_DIR" ]; then
  case "$DATA_DIR" in /*) ;; *) fail "--data-dir $DATA_DIR is not an absolute path" "give a path that starts with /" ;; esac
fi
if [ -n "$USER_KUBECONFIG" ]; then
  case "$USER_KUBECONFIG" in /*) ;; *) fail "--kubeconfig $USER_KUBECONFIG is not an absolute path" "give a path that starts with /" ;; esac
fi
if [ -n "$NODE_NAME" ] && ! echo "$NODE_NAME" | grep -Eq '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$'; then
  fail "--node-name $NODE_NAME is not a valid node name" \
    "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"
fi

if [ -d /run/systemd/system ]; then
  INIT=systemd
else
  INIT=background
fi

# the user whose ~/.kube/config receives the kubeconfig: the one who ran sudo
TARGET_USER="${SUDO_USER:-root}"
TARGET_HOME=$(getent passwd "$TARGET_USER" 2>/dev/null | cut -d: -f6)
if [ -z "$TARGET_HOME" ]; then
  TARGET_USER=root
  TARGET_HOME=${HOME:-/root}
fi

# where the package comes from
# (piped into sh, $0 is the shell, not this file: no checkout then)
SCRIPT_DIR=""
if [ -f "$0" ] && [ "$(basename "$0")" = install.sh ]; then
  SCRIPT_DIR=$(cd "$(dirname "$0")" 2>/dev/null && pwd)
fi
CHECKOUT=""
if [ -n "$SCRIPT_DIR" ] && [ -f "$SCRIPT_DIR/../packaging/deb/pom.xml" ]; then
  CHECKOUT=$(cd "$SCRIPT_DIR/.." && pwd)
fi
if [ -n "$DEB" ]; then
  case "$DEB" in /*) ;; *) DEB="$(pwd)/$DEB" ;; esac
  [ -f "$DEB" ] || fail "--deb $DEB: no such file" "give the path of a minicluster_VERSION_all.deb"
  if [ "$(dpkg-deb -f "$DEB" Package 2>/dev/null)" != minicluster ]; then
    fail "--deb $DEB is not a minicluster package" "give the path of a minicluster_VERSION_all.deb"
  fi
  SOURCE="the package $DEB"
elif [ -n "$RELEASE_URL" ]; then
  SOURCE="a release from $RELEASE_URL"
elif [ -n "$CHECKOUT" ]; then
  SOURCE="a package built from the checkout $CHECKOUT"
  has mvn || fail "the package must be built from the checkout $CHECKOUT, and Maven (mvn) is missing" \
    "build it first (apt-get install maven openjdk-17-jdk-headless; mvn -B -DskipTests package) or pass --deb FILE"
elif [ -n "$DEFAULT_RELEASE_URL" ]; then
  RELEASE_URL=$DEFAULT_RELEASE_URL
  SOURCE="a release from $RELEASE_URL"
else
  fail "nothing to install: no --deb FILE, no release URL and no checkout around the script" \
    "pass --deb FILE, or set MINICLUSTER_RELEASE_URL (or --release-url) to the release's address"
fi

# is minicluster running already? (then its ports are its own)
service_running() {
  if [ "$INIT" = systemd ]; then
    systemctl is-active --quiet minicluster.service
  else
    [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE" 2>/dev/null)" 2>/dev/null
  fi
}

# the effective value of a top-level key of config.yaml, empty when absent
config_value() {
  [ -r "$CONFIG" ] || return 0
  sed -n "s/^$1:[[:space:]]*//p" "$CONFIG" | sed -e 's/[[:space:]]*#.*$//' -e 's/^"\(.*\)"$/\1/' \
    -e "s/^'\(.*\)'\$/\1/" | tail -n 1
}

EFFECTIVE_API_PORT=${API_PORT:-$(config_value "$KEY_API_PORT")}
EFFECTIVE_API_PORT=${EFFECTIVE_API_PORT:-6443}
EFFECTIVE_SOCKS_PORT=${SOCKS_PORT:-$(config_value "$KEY_SOCKS_PORT")}
EFFECTIVE_SOCKS_PORT=${EFFECTIVE_SOCKS_PORT:-1080}
EFFECTIVE_DATA_DIR=${DATA_DIR:-$(config_value "$KEY_DATA_DIR")}
EFFECTIVE_DATA_DIR=${EFFECTIVE_DATA_DIR:-$DEFAULT_DATA_DIR}

if ! service_running && has ss; then
  for port in "$EFFECTIVE_API_PORT" "$EFFECTIVE_SOCKS_PORT"; do
    [ "$port" = -1 ] && continue
    user=$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n 1)
    if [ -n "$user" ]; then
      owner=$(echo "$user" | sed -n 's/.*users:(("\([^"]*\)".*/\1/p')
      if [ "$port" = "$EFFECTIVE_API_PORT" ]; then option=--api-port; else option=--socks-port; fi
      fail "port $port is in use${owner:+ by $owner}" "stop what listens there (ss -ltnp 'sport = :$port') or choose another port with $option"
    fi
  done
fi

note "$OS_NAME, $ARCH, service managed by $([ "$INIT" = systemd ] && echo systemd || echo 'minicluster start (systemd is not PID 1)')"
note "installing $SOURCE"
stage_done

# --------------------------------------------------------------------------------------------------- 2. the package

# the package file: as given, built from the checkout, or downloaded (with its checksum verified)
stage "getting the package"
if [ -z "$DEB" ] && [ -n "$RELEASE_URL" ]; then
  if has curl; then
    fetch() { curl -fsSL --retry 3 -o "$2" "$1"; }
  elif has wget; then
    fetch() { wget -q -O "$2" "$1"; }
  else
    fail "neither curl nor wget is installed to download the package" "apt-get install curl, or pass --deb FILE"
  fi
  RELEASE_URL=${RELEASE_URL%/}
  if [ -z "$VERSION" ]; then
    fetch "$RELEASE_URL/LATEST" "$WORK/LATEST" >> "$LOG" 2>&1 \
      || fail "could not read $RELEASE_URL/LATEST to learn the latest version" "check the URL, or give --version"
    VERSION=$(tr -d '[:space:]' < "$WORK/LATEST")
  fi
  DEB="$WORK/minicluster_${VERSION}_all.deb"
  fetch "$RELEASE_URL/minicluster_${VERSION}_all.deb" "$DEB" >> "$LOG" 2>&1 \
    || fail "could not download $RELEASE_URL/minicluster_${VERSION}_all.deb" "check the URL and the version"
  if fetch "$RELEASE_URL/SHA256SUMS" "$WORK/SHA256SUMS" >> "$LOG" 2>&1; then
    expected=$(grep " \*\{0,1\}minicluster_${VERSION}_all.deb\$" "$WORK/SHA256SUMS" | cut -d' ' -f1)
    actual=$(sha256sum "$DEB" | cut -d' ' -f1)
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
      fail "the downloaded package does not match $RELEASE_URL/SHA256SUMS" "download it again; report it if it persists"
    fi
    note "downloaded version $VERSION, SHA-256 verified"
  else
    note "downloaded version $VERSION (the release has no SHA256SUMS to verify it against)"
  fi
elif [ -z "$DEB" ]; then
  if [ "$DRY_RUN" = 1 ]; then
    note "would build the package: (cd $CHECKOUT && mvn -B -q -DskipTests package)"
  else
    note "building with Maven in $CHECKOUT (a few minutes the first time)"
    build_user=root
    if [ "$TARGET_USER" != root ] && [ "$(stat -c %U "$CHECKOUT")" = "$TARGET_USER" ]; then
      build_user=$TARGET_USER
    fi
    echo "+ (as $build_user) mvn -B -q -DskipTests package in $CHECKOUT" >> "$LOG"
    if [ "$build_user" = root ]; then
      (cd "$CHECKOUT" && mvn -B -q -DskipTests package) >> "$LOG" 2>&1
    else
      # shellcheck disable=SC2016
      runuser -u "$build_user" -- env HOME="$TARGET_HOME" sh -c 'cd "$1" && mvn -B -q -DskipTests package' sh "$CHECKOUT" \
        >> "$LOG" 2>&1
    fi || fail "the Maven build failed" "see the log; fix the build, or pass a built package with --deb FILE"
  fi
  # shellcheck disable=SC2012
  DEB=$(ls -t "$CHECKOUT"/packaging/deb/target/minicluster_*_all.deb 2>/dev/null | head -n 1)
  if [ -z "$DEB" ]; then
    [ "$DRY_RUN" = 1 ] || fail "the build made no package in $CHECKOUT/packaging/deb/target" "run mvn -B package there and look"
    DEB="$CHECKOUT/packaging/deb/target/minicluster_VERSION_all.deb"
  fi
fi
if [ -f "$DEB" ]; then
  DEB_VERSION=$(dpkg-deb -f "$DEB" Version)
else
  DEB_VERSION=unknown
fi
INSTALLED_VERSION=$(dpkg-query -W -f='${db:Status-Status} ${Version}' minicluster 2>/dev/null | sed -n 's/^installed //p')
note "package: $DEB (version $DEB_VERSION)"
stage_done

# ---------------------------------------------------------------------------------------------- 3. the dependencies

stage "installing what is missing (apt)"
APT_START=$(now_ms)

# What apt would install with the package (its Depends resolved as apt resolves them: a Java 17+ runtime, a Docker
# engine, iptables), from the package lists; they are updated first when apt cannot resolve with the current ones.
simulate() {
  if [ -f "$DEB" ]; then
    apt-get install -s --no-install-recommends "$DEB" 2>&1
  else
    echo "Inst docker.io (dry run: the package is not built yet)"
  fi
}
missing_packages() { sed -n 's/^Inst \([^ ]*\) .*/\1/p' "$WORK/simulation" | grep -vx minicluster; }

installed() { [ "$(dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

# apt_failed WHAT: stops, naming what the package needs that is not installed (a Docker engine, Java, iptables) and
# why apt could not install it, with the fix
apt_failed() {
  reason=$1
  if grep -q 'Could not connect\|Failed to fetch\|Temporary failure resolving\|Could not resolve\|Unable to connect' \
      "$LOG" "$WORK/simulation" 2>/dev/null; then
    reason="$reason: the package archive cannot be reached"
  fi
  lacking="" lacking_packages=""
  if ! installed docker.io && ! installed docker-ce && ! installed docker-engine; then
    lacking="a Docker engine (docker.io)" lacking_packages=docker.io
  fi
  if ! dpkg-query -W -f '${db:Status-Status} ${Package}, ${Provides},\n' 2>/dev/null \
      | grep -q '^installed .*java17-runtime-headless,'; then
    lacking="${lacking:+$lacking, }a Java 17 or newer runtime (openjdk-17-jre-headless)"
    lacking_packages="${lacking_packages:+$lacking_packages }openjdk-17-jre-headless"
  fi
  if ! installed iptables; then
    lacking="${lacking:+$lacking, }iptables" lacking_packages="${lacking_packages:+$lacking_packages }iptables"
  fi
  if [ -n "$lacking" ]; then
    fail "not installed: $lacking; and apt cannot install them ($reason)" \
      "check the network and the sources in /etc/apt/sources.list*, or install them yourself (apt-get install $lacking_packages), then run the installer again"
  fi
  fail "$reason" "see apt's message above and fix it (apt-get -f install may help), then run the installer again"
}

updated=0
apt_update() {
  if [ "$updated" = 0 ]; then
    note "updating the package lists"
    apt_get update || apt_failed "apt-get update failed"
    updated=1
  fi
}

if ! simulate > "$WORK/simulation" || ! grep -q '^Inst \|^0 upgraded' "$WORK/simulation"; then
  if [ "$DRY_RUN" = 1 ]; then
    note "would run: apt-get update, then install the package's dependencies"
  else
    apt_update
    simulate > "$WORK/simulation" || { cat "$WORK/simulation" >> "$LOG"; \
      apt_failed "apt cannot resolve the package's dependencies"; }
  fi
fi
PACKAGES=$(missing_packages | tr '\n' ' ')

# a Docker engine that answers but comes from no package (a static binary, a snap) cannot satisfy the Depends
if echo " $PACKAGES " | grep -q ' docker.io ' && has docker && docker info >/dev/null 2>&1; then
  fail "a Docker engine answers, but no Debian package (docker.io, docker-ce) provides it, and the minicluster package depends on one" \
    "install Docker from the distribution (apt-get install docker.io) or from Docker's apt repository (docker-ce)"
fi

# kubectl, only from the distribution (a signed archive); never downloaded from elsewhere
KUBECTL_NOTE=""
if has kubectl; then
  :
elif [ "$NO_KUBECTL" = 1 ]; then
  KUBECTL_NOTE="kubectl was not installed (--no-kubectl)"
elif apt-cache show kubernetes-client >/dev/null 2>&1 \
    || { [ "$DRY_RUN" = 0 ] && apt_update && apt-cache show kubernetes-client >/dev/null 2>&1; }; then
  PACKAGES="$PACKAGES kubernetes-client"
else
  KUBECTL_NOTE="kubectl is not installed and $OS_NAME has no kubectl package; install it from the Kubernetes project's signed apt repository: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/"
fi
# without kubectl, curl reads the node's state
if ! has kubectl && ! echo " $PACKAGES " | grep -q ' kubernetes-client ' && ! has curl; then
  PACKAGES="$PACKAGES curl"
fi

PACKAGES=$(echo "$PACKAGES" | tr -s ' ' | sed 's/^ //; s/ $//')
if [ -n "$PACKAGES" ]; then
  note "installing: $PACKAGES"
  apt_update
  # shellcheck disable=SC2086
  apt_get install --no-install-recommends $PACKAGES || apt_failed "apt-get could not install $PACKAGES"
else
  note "nothing to install: Docker, Java and iptables are there"
fi

# the Docker engine must answer before the daemon starts
if [ "$DRY_RUN" = 0 ] && ! docker info >/dev/null 2>&1; then
  note "starting the Docker engine"
  if [ "$INIT" = systemd ]; then
    run systemctl enable --now docker.service
  else
    [ -x /etc/init.d/docker ] && run /etc/init.d/docker start
    waited=0
    until docker info >/dev/null 2>&1 || [ "$waited" -ge 10 ]; do sleep 1; waited=$((waited + 1)); done
    # the init script can fail where the engine itself runs (in a container that may not raise its open-files
    # limit, say): the engine then runs in the background, as one started by hand
    if ! docker info >/dev/null 2>&1 && has dockerd; then
      note "the init script did not start it: running dockerd in the background (log /var/log/dockerd.log)"
      if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
        rm -f /var/run/docker.pid
      fi
      setsid dockerd >> /var/log/dockerd.log 2>&1 < /dev/null &
      DOCKERD_PID=$!
    fi
  fi
  waited=0
  until docker info >/dev/null 2>&1; do
    # the dockerd started here ended (a zombie until this shell waits for it): it will not answer
    dockerd_ended=0
    if [ -n "${DOCKERD_PID:-}" ] && { [ ! -r "/proc/$DOCKERD_PID/stat" ] \
        || [ "$(sed -n 's/^[0-9]* (.*) \(.\).*/\1/p' "/proc/$DOCKERD_PID/stat")" = Z ]; }; then
      dockerd_ended=1
    fi
    if [ "$waited" -ge 60 ] || [ "$dockerd_ended" = 1 ]; then
      docker info >> "$LOG" 2>&1
      [ "$dockerd_ended" = 1 ] && tail -n 5 /var/log/dockerd.log >> "$LOG" 2>/dev/null
      fail "the Docker engine is installed but does not answer$([ "$dockerd_ended" = 1 ] && echo ', and dockerd stops at once')" \
        "start it (systemctl start docker, or service docker start where systemd does not run) and look at its log (journalctl -u docker, /var/log/docker.log, /var/log/dockerd.log), then run the installer again"
    fi
    sleep 1
    waited=$((waited + 1))
  done
fi
APT_SECONDS=$(seconds_since "$APT_START")
stage_done

# ------------------------------------------------------------------------------------ 4. the package and its options

stage "installing minicluster $DEB_VERSION"

# the options given here, as top-level keys of config.yaml: a key's line is replaced; a key not set yet goes below
# its commented sample line, or at the end
set_config() {
  key=$1 value=$2
  current=$(config_value "$key")
  [ "$current" = "$value" ] && return 0
  if [ "$DRY_RUN" = 1 ]; then
    echo "    would set $key: $value in $CONFIG"
    CONFIG_CHANGED=1
    return 0
  fi
  mkdir -p "$(dirname "$CONFIG")"
  [ -f "$CONFIG" ] || : > "$CONFIG"
  case "$value" in
    true|false|-1|[0-9]*) yaml_value=$value ;;
    *) yaml_value="\"$(printf '%s' "$value" | sed 's/[\\"]/\\&/g')\"" ;;
  esac
  awk -v key="$key" -v line="$key: $yaml_value" '
    NR == FNR { if ($0 ~ "^" key ":") present = 1; next }
    present && $0 ~ "^" key ":" { if (!done) print line; done = 1; next }
    !present && !done && $0 ~ "^#[[:space:]]*" key ":" { print; print line; done = 1; next }
    { print }
    END { if (!done) print line }' "$CONFIG" "$CONFIG" > "$WORK/config.set" \
    || fail "could not set $key in $CONFIG" "edit $CONFIG by hand"
  cat "$WORK/config.set" > "$CONFIG"
  echo "set $key: $yaml_value in $CONFIG" >> "$LOG"
  CONFIG_CHANGED=1
}

configure() {
  CONFIG_CHANGED=0
  [ -f "$CONFIG" ] && cp -p "$CONFIG" "$WORK/config.before"
  [ -n "$API_PORT" ] && set_config "$KEY_API_PORT" "$API_PORT"
  [ -n "$SOCKS_PORT" ] && set_config "$KEY_SOCKS_PORT" "$SOCKS_PORT"
  [ -n "$NODE_NAME" ] && set_config "$KEY_NODE_NAME" "$NODE_NAME"
  [ -n "$DATA_DIR" ] && set_config "$KEY_DATA_DIR" "$DATA_DIR"
  [ -n "$POD_NETWORK" ] && set_config "$KEY_POD_NETWORK" "$POD_NETWORK"
  [ -n "$POD_CIDR" ] && set_config "$KEY_POD_CIDR" "$POD_CIDR"
  [ "$OFFLINE" = 1 ] && set_config "$KEY_OFFLINE" true
  if [ -n "$DATA_DIR" ] && [ ! -d "$DATA_DIR" ]; then
    run install -d -m 0700 "$DATA_DIR"
  fi
  if [ "$CONFIG_CHANGED" = 1 ] && [ "$DRY_RUN" = 0 ]; then
    # the daemon reads the file as it will at start: a key or value it refuses is put back and reported
    if ! minicluster server --config "$CONFIG" --print-config >> "$LOG" 2>&1; then
      if [ -f "$WORK/config.before" ]; then cat "$WORK/config.before" > "$CONFIG"; else rm -f "$CONFIG"; fi
      if [ -z "$INSTALLED_VERSION" ] && [ "$UNPACKED" = 1 ]; then
        # a first installation goes back out (the dependencies apt installed stay)
        dpkg --purge minicluster >> "$LOG" 2>&1
        fail "the daemon refuses the options given (the package was removed again)" \
          "see the daemon's message above; check the option values"
      fi
      fail "the daemon refuses the configuration written to $CONFIG (it was put back as it was)" \
        "see the daemon's message above; check the option values"
    fi
    note "configuration written to $CONFIG"
  fi
}

# identical when the version and every file's checksum are the same as what is installed
same_package() {
  [ "$INSTALLED_VERSION" = "$DEB_VERSION" ] || return 1
  dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./md5sums > "$WORK/md5sums.new" 2>/dev/null || return 1
  cmp -s "$WORK/md5sums.new" /var/lib/dpkg/info/minicluster.md5sums
}

PACKAGE_CHANGED=0
UNPACKED=0
DAEMON_START=""
DPKG="dpkg --force-confdef --force-confold"
if [ -n "$INSTALLED_VERSION" ] && [ -f "$DEB" ] && same_package; then
  note "minicluster $DEB_VERSION is installed already"
  configure
else
  if [ -n "$INSTALLED_VERSION" ]; then
    note "upgrading from $INSTALLED_VERSION (pods keep running: only the daemon restarts)"
  fi
  # unpacked, configured with the options, then set up (which starts the service under systemd)
  # shellcheck disable=SC2086
  run $DPKG --unpack "$DEB" || fail "dpkg could not unpack $DEB" "see dpkg's message above"
  UNPACKED=1
  configure
  # under systemd, the package's postinst starts the daemon and waits for its readiness
  DAEMON_START=$(now_ms)
  # shellcheck disable=SC2086
  run $DPKG --configure minicluster \
    || fail "dpkg could not set up minicluster" "see dpkg's message above; then: dpkg --configure -a"
  PACKAGE_CHANGED=1
fi
stage_done

# ------------------------------------------------------------------------------------------------- 5. the service

stage "starting the service"
if [ "$INIT" = systemd ]; then
  systemctl is-enabled --quiet minicluster.service 2>/dev/null || run systemctl enable minicluster.service
  if [ "$CONFIG_CHANGED" = 1 ] && [ "$PACKAGE_CHANGED" = 0 ]; then
    DAEMON_START=$(now_ms)
    run systemctl restart minicluster.service
  else
    # the package's postinst started or restarted it; this returns at once then
    run systemctl start minicluster.service
  fi || { systemctl status --no-pager -n 20 minicluster.service >> "$LOG" 2>&1; \
    fail "the minicluster service did not start" "see: systemctl status minicluster; journalctl -u minicluster -n 100"; }
  [ "$DRY_RUN" = 1 ] || note "systemd service minicluster.service active"
else
  # (an upgrade restarted it in the package's postinst, with the configuration written before)
  if service_running && [ "$CONFIG_CHANGED" = 1 ] && [ "$PACKAGE_CHANGED" = 0 ]; then
    run minicluster stop || fail "could not stop the background service to apply the configuration" "see $SERVICE_LOG"
  fi
  if service_running; then
    note "running in the background already (pid $(cat "$PID_FILE"))"
  else
    DAEMON_START=$(now_ms)
    run minicluster start || fail "the background service did not start" "see $SERVICE_LOG and $LOG"
    [ "$DRY_RUN" = 1 ] || note "running in the background (pid file $PID_FILE, log $SERVICE_LOG)"
  fi
fi
stage_done

# ------------------------------------------------------------------------------------------------ 6. node Ready

KUBECONFIG_SOURCE="$EFFECTIVE_DATA_DIR/kubeconfig.yaml"
stage "waiting for the node to be Ready"
node_ready() {
  [ -r "$KUBECONFIG_SOURCE" ] || return 1
  if has kubectl; then
    kubectl --kubeconfig "$KUBECONFIG_SOURCE" --request-timeout=5s get nodes --no-headers 2>/dev/null \
      | awk '$2 == "Ready" { found = 1; print $1 } END { exit !found }' | head -n 1
  else
    # the admin client certificate from the kubeconfig, for curl
    sed -n 's/^ *client-certificate-data: *//p' "$KUBECONFIG_SOURCE" | base64 -d > "$WORK/admin.crt" 2>/dev/null
    sed -n 's/^ *client-key-data: *//p' "$KUBECONFIG_SOURCE" | base64 -d > "$WORK/admin.key" 2>/dev/null
    chmod 600 "$WORK/admin.key"
    server=$(sed -n 's/^ *server: *//p' "$KUBECONFIG_SOURCE" | head -n 1)
    curl -sk --max-time 5 --cert "$WORK/admin.crt" --key "$WORK/admin.key" "$server/api/v1/nodes" 2>/dev/null \
      | tr -d ' \n' | grep -o '"name":"[^"]*"\|"type":"Ready","status":"True"' \
      | awk '/"name"/ { name = $0 } /"Ready"/ { sub(/"name":"/, "", name); sub(/"$/, "", name); print name; exit }'
    rm -f "$WORK/admin.key"
  fi
}
if [ "$DRY_RUN" = 1 ]; then
  note "would wait up to $TIMEOUT s for the node to be Ready"
  READY_NODE="(dry run)"
else
  waited=0
  READY_NODE=""
  while :; do
    READY_NODE=$(node_ready) && [ -n "$READY_NODE" ] && break
    if [ "$waited" -ge "$TIMEOUT" ]; then
      if [ "$INIT" = systemd ]; then
        journalctl -u minicluster.service -n 30 --no-pager >> "$LOG" 2>&1
        where="journalctl -u minicluster"
      else
        tail -n 30 "$SERVICE_LOG" >> "$LOG" 2>&1
        where=$SERVICE_LOG
      fi
      fail "the node was not Ready after $TIMEOUT s" "look at the daemon's log ($where) and at minicluster status"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if [ -n "$DAEMON_START" ]; then
    note "node $READY_NODE is Ready, $(seconds_since "$DAEMON_START") s after the daemon was started"
  else
    note "node $READY_NODE is Ready"
  fi
fi
stage_done

# ---------------------------------------------------------------------------------------- 7. the user's kubeconfig

# the file kubectl reads: the user's ~/.kube/config, or the one given with --kubeconfig
if [ -n "$USER_KUBECONFIG" ]; then
  KUBE_DIR=$(dirname "$USER_KUBECONFIG")
  KUBE_FILE=$USER_KUBECONFIG
else
  KUBE_DIR="$TARGET_HOME/.kube"
  KUBE_FILE="$KUBE_DIR/config"
fi
KUBE_CONFIG=$KUBE_FILE
stage "adding the context minicluster to $KUBE_FILE"
MERGE_NOTE=""
# only minicluster's own cluster, user and context in a kubeconfig?
only_minicluster() {
  names=$(sed -n 's/^- *name: *//p; s/^  name: *//p' "$1" | sort -u | tr '\n' ' ')
  [ -z "$names" ] || [ "$names" = "minicluster minicluster-admin " ]
}
merge_kubeconfig() {
  if [ ! -s "$KUBE_CONFIG" ]; then
    cp "$KUBECONFIG_SOURCE" "$WORK/kubeconfig.merged"
  elif has kubectl; then
    # minicluster's old entries out, then kubectl merges (the first file wins: the user's current context stays)
    cp "$KUBE_CONFIG" "$WORK/kubeconfig.user"
    for kind_name in cluster:minicluster user:minicluster-admin context:minicluster; do
      kubectl --kubeconfig "$WORK/kubeconfig.user" config "delete-${kind_name%%:*}" "${kind_name#*:}" >/dev/null 2>&1 || true
    done
    KUBECONFIG="$WORK/kubeconfig.user:$KUBECONFIG_SOURCE" kubectl config view --flatten --raw > "$WORK/kubeconfig.merged" \
      2>> "$LOG" || fail "kubectl could not merge the kubeconfig into $KUBE_CONFIG" "see the log; $KUBE_CONFIG is unchanged"
  elif only_minicluster "$KUBE_CONFIG"; then
    cp "$KUBECONFIG_SOURCE" "$WORK/kubeconfig.merged"
  else
    # without kubectl, another cluster's file is left alone
    KUBE_CONFIG="$KUBE_DIR/minicluster.yaml"
    cp "$KUBECONFIG_SOURCE" "$WORK/kubeconfig.merged"
    MERGE_NOTE="$KUBE_FILE holds other clusters and kubectl is not here to merge: the admin kubeconfig is in $KUBE_CONFIG (export KUBECONFIG=$KUBE_FILE:$KUBE_CONFIG)"
  fi
  if [ -f "$KUBE_CONFIG" ] && cmp -s "$WORK/kubeconfig.merged" "$KUBE_CONFIG"; then
    note "up to date"
    return 0
  fi
  mkdir -p "$KUBE_DIR"
  if [ -s "$KUBE_CONFIG" ]; then
    backup="$KUBE_CONFIG.before-minicluster-$(date +%Y%m%d%H%M%S)"
    cp -p "$KUBE_CONFIG" "$backup"
    note "backup of the previous file: $backup"
  fi
  cat "$WORK/kubeconfig.merged" > "$KUBE_CONFIG.tmp" && chmod 600 "$KUBE_CONFIG.tmp" && mv "$KUBE_CONFIG.tmp" "$KUBE_CONFIG"
  if [ "$TARGET_USER" != root ] && [ -z "$USER_KUBECONFIG" ]; then
    group=$(id -gn "$TARGET_USER")
    chown "$TARGET_USER:$group" "$KUBE_DIR" "$KUBE_CONFIG" ${backup:+"$backup"}
  fi
  note "written"
}
if [ "$DRY_RUN" = 1 ]; then
  note "would merge $KUBECONFIG_SOURCE into $KUBE_CONFIG (backup first, other clusters kept)"
else
  merge_kubeconfig
  [ -n "$MERGE_NOTE" ] && note "$MERGE_NOTE"
fi
CURRENT_CONTEXT=""
if has kubectl && [ -f "$KUBE_CONFIG" ]; then
  CURRENT_CONTEXT=$(kubectl --kubeconfig "$KUBE_CONFIG" config current-context 2>/dev/null)
fi
stage_done

# ------------------------------------------------------------------------------------------------- 8. next steps

HOST=$(hostname -f 2>/dev/null || hostname)
SOCKS_ADDRESS="127.0.0.1:$EFFECTIVE_SOCKS_PORT"
echo ""
if [ "$DRY_RUN" = 1 ]; then
  echo "Dry run: nothing was changed."
  rm -f "$LOG"
  exit 0
fi
echo "minicluster $DEB_VERSION is installed: node $READY_NODE Ready in $(seconds_since "$INSTALL_START") s" \
  "(apt: $APT_SECONDS s)."
echo ""
echo "Next steps:"
if has kubectl; then
  [ -n "$USER_KUBECONFIG" ] && [ "$KUBE_CONFIG" = "$KUBE_FILE" ] && echo "  export KUBECONFIG=$KUBE_FILE"
  if [ "$CURRENT_CONTEXT" = minicluster ] || [ "$KUBE_CONFIG" != "$KUBE_FILE" ]; then
    echo "  kubectl get nodes"
  else
    echo "  kubectl config use-context minicluster     # your current context is $CURRENT_CONTEXT"
    echo "  kubectl get nodes"
  fi
  [ "$KUBE_CONFIG" != "$KUBE_FILE" ] && echo "  (first: export KUBECONFIG=$KUBE_FILE:$KUBE_CONFIG)"
else
  echo "  $KUBECTL_NOTE"
  echo "  then: kubectl get nodes"
fi
[ -n "$KUBECTL_NOTE" ] && has kubectl && echo "  ($KUBECTL_NOTE)"
if [ "$EFFECTIVE_SOCKS_PORT" != -1 ]; then
  echo "  SOCKS gateway to pods and services: $SOCKS_ADDRESS on this machine"
  echo "  from a workstation:  ssh -L $EFFECTIVE_SOCKS_PORT:$SOCKS_ADDRESS $TARGET_USER@$HOST"
  echo "    then set the browser's proxy to the PAC file http://$SOCKS_ADDRESS/proxy.pac"
  echo "    (or chromium --proxy-pac-url=http://$SOCKS_ADDRESS/proxy.pac)"
  echo "  status page of the gateway: http://$SOCKS_ADDRESS/"
fi
echo "  minicluster status"
if [ "$INIT" = systemd ]; then
  echo "  the service: systemctl status minicluster; journalctl -u minicluster"
else
  echo "  the service (no systemd here): minicluster stop | minicluster start; log in $SERVICE_LOG"
fi
echo "  uninstall: sudo sh /usr/share/minicluster/uninstall.sh [--purge]${USER_KUBECONFIG:+ --kubeconfig $USER_KUBECONFIG}"
rm -f "$LOG"

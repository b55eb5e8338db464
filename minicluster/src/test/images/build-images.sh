#!/bin/sh
# Builds the test images used by minicluster's integration tests WITHOUT any image registry, from the host's
# statically linked busybox (Debian package busybox-static):
#   minicluster-test/busybox:1          rootfs with /bin/busybox and one symlink per applet (sh, httpd, nc, wget, ...)
#   mongo:latest                        stand-in: `mongod [any args]` serves on 27017 (default CMD mongod)
#   meteorhacks/telescope:latest        stand-in: waits until the Mongo port answers, then serves "Telescope" on :80
#   minicluster-test/python-kubernetes:1  the busybox rootfs plus the host's python3 and the official Kubernetes client
#                                       (Debian's python3-kubernetes): the files of the installed python3 packages it
#                                       depends on, their byte-compiled caches, and the shared libraries they link
# Idempotent: every image carries a label with the hash of its inputs and is rebuilt only when that hash changes.
# Usage: build-images.sh [--force]        Environment: BUSYBOX (default /bin/busybox), DOCKER (default docker)
set -eu

BUSYBOX="${BUSYBOX:-/bin/busybox}"
DOCKER="${DOCKER:-docker}"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
HASH_LABEL="io.minicluster.test-image.hash"
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ ! -x "$BUSYBOX" ]; then
  echo "build-images.sh: $BUSYBOX not found (install the busybox-static package)" >&2
  exit 1
fi
if ! od -An -c -N4 "$BUSYBOX" | grep -q "E   L   F"; then
  echo "build-images.sh: $BUSYBOX is not an ELF executable" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/minicluster-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT INT TERM

# Writes the common busybox root filesystem into directory $1.
make_rootfs() {
  root="$1"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = "busybox" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
}

# Stand-in mongod: accepts and ignores mongod's options except --port, answers HTTP on the port (like old mongod's
# "It looks like you are trying to access MongoDB over HTTP on the native driver port.").
write_mongod() {
  cat > "$1/bin/mongod" <<'SCRIPT'
#!/bin/sh
port=27017
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift ;;
    --port=*) port="${1#--port=}" ;;
  esac
  shift
done
mkdir -p /var/mongo
echo "It looks like you are trying to access MongoDB over HTTP on the native driver port." > /var/mongo/index.html
echo "mongod stand-in: waiting for connections on port $port"
# PID 1 ignores SIGTERM unless it handles it: stop at once like a real server does
httpd -f -p "$port" -h /var/mongo &
trap 'kill $!; exit 0' TERM INT
wait $!
SCRIPT
  chmod 0755 "$1/bin/mongod"
}

# Stand-in Telescope: waits for Mongo (host and port from MONGO_URL, default localhost:27017), then serves HTTP.
write_telescope() {
  cat > "$1/bin/telescope" <<'SCRIPT'
#!/bin/sh
mongo_address="${MONGO_URL:-mongodb://localhost:27017/telescope}"
mongo_address="${mongo_address#mongodb://}"
mongo_address="${mongo_address#*@}"
mongo_address="${mongo_address%%/*}"
mongo_address="${mongo_address%%,*}"
case "$mongo_address" in *:*) ;; *) mongo_address="$mongo_address:27017" ;; esac
echo "telescope stand-in: waiting for mongo at $mongo_address"
until timeout 3 wget -q -O /dev/null "http://$mongo_address/" 2>/dev/null; do sleep 1; done
echo "telescope stand-in: mongo answered at $mongo_address"
mkdir -p /var/www
cat > /var/www/index.html <<HTML
<!DOCTYPE html>
<html><head><title>Telescope</title></head>
<body><h1>Telescope</h1>
<p>ROOT_URL=${ROOT_URL:-}</p>
<p>MONGO_URL=${MONGO_URL:-}</p>
</body></html>
HTML
port="${PORT:-80}"
echo "telescope stand-in: listening on port $port"
httpd -f -p "$port" -h /var/www &
trap 'kill $!; exit 0' TERM INT
wait $!
SCRIPT
  chmod 0755 "$1/bin/telescope"
}

INPUT_HASH="$( (cat "$0"; cat "$BUSYBOX") | sha256sum | cut -c1-16)"

# The installed packages $@ and, recursively, those of their dependencies whose names start with python3 or
# libpython3 (the interpreter, its standard library, the client's Python dependencies); one name a line.
python_packages() {
  todo="$*"
  seen=" "
  while [ -n "$todo" ]; do
    next=""
    for package in $todo; do
      case "$seen" in *" $package "*) continue ;; esac
      dpkg-query -W -f '${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed || continue
      seen="$seen$package "
      echo "$package"
      # Depends and Pre-Depends: "a (>= 1), b | c, d:any": every alternative that is installed counts
      next="$next $(dpkg-query -W -f '${Depends}, ${Pre-Depends}' "$package" | tr ',|' '\n\n' \
        | sed 's/(.*)//; s/:any//; s/ //g' | grep -E '^(lib)?python3' || true)"
    done
    todo="$next"
  done
}

# The files the Python image copies from the host, as paths relative to /, sorted: the packages' files (not their
# directories, nor documentation), the byte-compiled cache of every .py among them, the shared libraries that the
# programs and extension modules among them link (ldd), and the targets of the symbolic links. Paths through the
# host's top-level links to /usr (merged /usr: /lib/x86_64-linux-gnu/libc.so.6) are written as their targets.
python_files() {
  for package in $(python_packages python3-kubernetes); do
    dpkg-query -L "$package"
  done | grep -v -e '^/usr/share/doc/' -e '^/usr/share/man/' | while read -r path; do
    [ -f "$path" ] || [ -L "$path" ] || continue
    echo "$path"
    case "$path" in
      *.py)
        module="${path##*/}"
        for compiled in "${path%/*}/__pycache__/${module%.py}".cpython-*.pyc; do
          [ -f "$compiled" ] && echo "$compiled"
        done ;;
    esac
  done > "$WORK/python-package-files"
  grep -E '/bin/|\.so$|\.so\.' "$WORK/python-package-files" | xargs -d '\n' ldd 2>/dev/null \
    | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' > "$WORK/python-libraries"
  unmerge=""
  for top in bin sbin lib lib32 lib64 libx32; do
    [ -L "/$top" ] && unmerge="$unmerge s|^/$top/|$(readlink -f "/$top")/|;"
  done
  cat "$WORK/python-package-files" "$WORK/python-libraries" | sed "$unmerge" | while read -r path; do
    echo "$path"
    [ -L "$path" ] && readlink -f "$path"
  done | sed 's|^/||' | LC_ALL=C sort -u
}

# Copies the Python files (python_files, in $WORK/python-files) into the root filesystem $1, with the host's
# /lib and /lib64 links to /usr (the dynamic loader's path in every ELF file is /lib64/ld-linux-x86-64.so.2).
write_python() {
  for link in lib lib64; do
    [ -L "/$link" ] && ln -s "$(readlink "/$link")" "$1/$link"
  done
  tar -C / --no-recursion -cf - -T "$WORK/python-files" | tar -C "$1" -xf -
  [ -e "$1/usr/bin/python3" ] || { echo "build-images.sh: no /usr/bin/python3 among the copied files" >&2; exit 1; }
}

# build_image NAME SETUP_FUNCTION CHANGE...
build_image() {
  name="$1"; setup="$2"; shift 2
  current="$("$DOCKER" image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$name" 2>/dev/null || true)"
  if [ "$FORCE" = 0 ] && [ "$current" = "$INPUT_HASH" ]; then
    echo "$name: up to date"
    return 0
  fi
  root="$WORK/$(echo "$name" | tr '/:' '__')"
  make_rootfs "$root"
  [ "$setup" = "-" ] || "$setup" "$root"
  set -- --change "ENV PATH=/bin" --change "LABEL $HASH_LABEL=$INPUT_HASH" "$@"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . | "$DOCKER" import "$@" - "$name" > /dev/null
  echo "$name: built"
}

build_image minicluster-test/busybox:1 - --change 'CMD ["sh"]'
build_image mongo:latest write_mongod --change 'CMD ["mongod"]' --change 'EXPOSE 27017'
build_image meteorhacks/telescope:latest write_telescope --change 'CMD ["/bin/telescope"]' --change 'EXPOSE 80'

if ! /usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1; then
  echo "build-images.sh: the Python image needs the official Kubernetes client (install python3-kubernetes)" >&2
  exit 1
fi
python_files > "$WORK/python-files"
# the inputs: this script, busybox, and every copied file's path and content
INPUT_HASH="$( (cat "$0" "$BUSYBOX"; cd / && xargs -d '\n' sha256sum < "$WORK/python-files") | sha256sum | cut -c1-16)"
build_image minicluster-test/python-kubernetes:1 write_python --change 'CMD ["/usr/bin/python3"]'

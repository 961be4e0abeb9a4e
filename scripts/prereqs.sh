#!/usr/bin/env bash
# Checks (and, as root with apt-get, installs) what PageHintVerify needs beyond the .NET SDK.
# Usage: scripts/prereqs.sh            install what is missing when possible, else say how
#        scripts/prereqs.sh --check    only check
# Exit 0 when every required package is there; 1 with a message naming what is missing.
set -uo pipefail
mode=${1:-install}

# package:probe   (a probe is a file or command that shows the package is there)
required=(
  "gcc:cmd:gcc"
  "libz3-4:file:/usr/lib/x86_64-linux-gnu/libz3.so.4"
  "spin:cmd:spin"
)
optional=(
  "graphviz:cmd:dot"
)
# Only the browser test of the HTML trace explorer needs these; it is skipped without them.
browser=(
  "chromium:cmd:chromium"
)

have() {
  local kind=${1%%:*} what=${1#*:}
  case $kind in
    cmd) command -v "$what" >/dev/null 2>&1 ;;
    file) [ -e "$what" ] || ldconfig -p 2>/dev/null | grep -q "${what##*/}" ;;
  esac
}

missing() {
  local out=()
  for entry in "$@"; do
    local pkg=${entry%%:*} probe=${entry#*:}
    have "$probe" || out+=("$pkg")
  done
  echo "${out[@]:-}"
}

need=$(missing "${required[@]}")
want=$(missing "${optional[@]}")
web=$(missing "${browser[@]}")
all="$need $want $web"
if [ -n "${all// /}" ] && [ "$mode" != --check ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "prereqs: installing:$all" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $all) >/tmp/pagehint-apt.log 2>&1 \
      || echo "prereqs: apt-get install failed (log: /tmp/pagehint-apt.log)" >&2
    need=$(missing "${required[@]}")
    want=$(missing "${optional[@]}")
    web=$(missing "${browser[@]}")
  fi
fi
if [ -n "${want// /}" ]; then
  echo "prereqs: optional packages missing: $want (pictures are skipped; install with: sudo apt-get install $want)" >&2
fi
if [ -n "${web// /}" ]; then
  echo "prereqs: packages for the browser test missing: $web (the HTML explorer's browser test is skipped; install with: sudo apt-get install $web)" >&2
fi
if [ -n "${need// /}" ]; then
  echo "prereqs: required packages missing: $need — install with: sudo apt-get update && sudo apt-get install $need" >&2
  exit 1
fi
exit 0

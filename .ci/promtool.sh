# Sourced by the CI scripts that need Prometheus's promtool: `PROMTOOL=$(find_promtool "$tmp")`.
# promtool is $PROMTOOL when set, else the one on PATH, else taken from Debian's `prometheus` package,
# downloaded and unpacked into DIR (apt-get download + dpkg -x), not installed: installing it would run its
# maintainer scripts, which start a Prometheus server on :9090 on machines with an init system.
find_promtool() {
  local dir=$1
  if [ -n "${PROMTOOL:-}" ]; then echo "$PROMTOOL"; return; fi
  if command -v promtool >/dev/null 2>&1; then command -v promtool; return; fi
  echo "promtool not found: fetching Debian's prometheus package" >&2
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  fi
  (cd "$dir" && apt-get download prometheus >/dev/null) || { echo "apt-get download prometheus failed" >&2; return 1; }
  dpkg -x "$dir"/prometheus_*.deb "$dir/pkg"
  [ -x "$dir/pkg/usr/bin/promtool" ] || { echo "the prometheus package has no usr/bin/promtool" >&2; return 1; }
  echo "$dir/pkg/usr/bin/promtool"
}

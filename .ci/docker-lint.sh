#!/usr/bin/env bash
# Lints docker/ without a Docker engine:
#   1. `promtool check config docker/prometheus.yml`; the alerting rules of docs/alerting (`promtool check rules`,
#      `promtool test rules`) and both Alertmanager configs (`amtool check-config`, when amtool is installed);
#   2. every PromQL query of docker/grafana/ramp-dashboard.json: its syntax (`promtool check rules` on a rule file
#      made from the queries, $route replaced by .*), and each metric name and label it uses against those
#      docs/metrics.md lists (histogram names expand to _bucket, _count, _sum; `le` is a _bucket label);
#   3. docker/ramp.conf validated by the jar with the compose environment (a token, RAMP_TRUSTED_SOURCE), and
#      RAMP_TRUSTED_SOURCE shown to reach ramp.trusted-sources;
#   4. `docker compose config` (or Debian's `docker-compose config`) with a token, and without one (it must stop
#      naming RAMP_ADMIN_TOKEN); skipped, saying so, when neither command is installed.
# promtool from .ci/promtool.sh: $PROMTOOL, on PATH, or Debian's `prometheus` package unpacked (not installed).
# Needs python3 and the built jar (step 3, built when missing). Exits non-zero on any problem.
set -euo pipefail
cd "$(dirname "$0")/.."

DASHBOARD=docker/grafana/ramp-dashboard.json
JAR=gateway/target/ramp-gateway.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "docker-lint: $*" >&2; exit 1; }

. .ci/promtool.sh
PROMTOOL=$(find_promtool "$tmp") || fail "no promtool (above)"
"$PROMTOOL" --version 2>&1 | head -1

echo "== promtool check config docker/prometheus.yml"
"$PROMTOOL" check config docker/prometheus.yml || fail "promtool check config found problems (above)"

echo "== dashboard queries against docs/metrics.md"
python3 - "$DASHBOARD" docs/metrics.md "$tmp/rules.yml" <<'PY' || fail "the dashboard's queries do not match the metrics (above)"
import json, re, sys

dashboard, metrics_md, rules_out = sys.argv[1:4]

# Exposed names and their labels, from the tables of docs/metrics.md.
labels_of, prefixes = {}, []
for line in open(metrics_md, encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 4 and cells[0].startswith("`ramp_"):
        name = cells[0].strip("`")
        labels = set(re.findall(r"`(\w+)`", cells[2]))
        if "histogram" in cells[1]:
            for suffix in re.findall(r"`_(\w+)`", cells[1]):
                labels_of[name + "_" + suffix] = labels | ({"le"} if suffix == "bucket" else set())
        else:
            labels_of[name] = labels
    # The JVM and process families are listed as prefixes: `jvm_memory_*`.
    prefixes += [p for p in re.findall(r"`(\w+_)\*`", line)]
if not labels_of:
    sys.exit(f"no metric names found in {metrics_md}")

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
            "offset", "inf", "nan"}

def strip(expr):
    """The expression with label matchers, ranges and strings taken out, and the labels they name."""
    used = set()
    for body in re.findall(r"\{([^}]*)\}", expr):
        used |= set(re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", body))
    for body in re.findall(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", expr):
        used |= set(re.findall(r"\w+", body))
    e = re.sub(r"\{[^}]*\}", " ", expr)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r'"[^"]*"', " ", e)
    e = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    return e, used

def metric_names(expr):
    e, _ = strip(expr)
    names = []
    for m in re.finditer(r"[A-Za-z_:][\w:]*", e):
        word, rest = m.group(0), e[m.end():]
        if word.lower() in KEYWORDS or re.match(r"\s*\(", rest):  # a keyword or a function call
            continue
        if re.fullmatch(r"\d\w*", word):
            continue
        names.append(word)
    return names

queries = []  # (where, expr)
doc = json.load(open(dashboard, encoding="utf-8"))
for panel in doc.get("panels", []):
    for t in panel.get("targets", []):
        queries.append((f"panel {panel.get('id')} \"{panel.get('title')}\" {t.get('refId')}", t["expr"]))
for var in doc.get("templating", {}).get("list", []):
    q = var.get("query")
    m = re.fullmatch(r"label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)", q or "")
    if m:  # Grafana's label_values(selector, label), checked as the query that groups the selector by the label
        queries.append((f"variable ${var['name']}", f"count by ({m.group(2)}) ({m.group(1)})"))
    elif q:
        sys.exit(f"variable ${var['name']}: a query this lint does not understand: {q}")

problems, checked = [], set()
for where, expr in queries:
    names = metric_names(expr)
    if not names:
        problems.append(f"{where}: no metric name in {expr}")
    _, used = strip(expr)
    allowed = set()
    for n in names:
        checked.add(n)
        if n in labels_of:
            allowed |= labels_of[n]
        elif any(n.startswith(p) for p in prefixes):
            allowed = None  # a JVM or process meter: its labels are not listed
        else:
            problems.append(f"{where}: {n} is not a metric docs/metrics.md lists")
            allowed = None  # its labels are unknown too; the name is the problem to fix
    if allowed is not None:
        for label in sorted(used - allowed):
            problems.append(f"{where}: label {label} is not one of {', '.join(names)}'s ({', '.join(sorted(allowed))})")

# A rule file with every query, for `promtool check rules` to parse ($route is Grafana's: any route).
with open(rules_out, "w", encoding="utf-8") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, (where, expr) in enumerate(queries):
        f.write(f"      # {where}\n")
        f.write(f"      - record: dashboard:query_{i}\n        expr: {json.dumps(expr.replace('$route', '.*'))}\n")

for p in problems:
    print(p)
print(f"{len(queries)} queries, metrics used: {', '.join(sorted(checked))}")
sys.exit(1 if problems else 0)
PY
if ! "$PROMTOOL" check rules "$tmp/rules.yml" > "$tmp/rules.out" 2>&1; then
  cat "$tmp/rules.out" >&2
  echo "where each rule comes from:" >&2
  grep -A1 '^      # ' "$tmp/rules.yml" | paste - - - | sed 's/^ *# \(.*\)\t *- record: \(\S*\).*/  \2: \1/' >&2
  fail "a dashboard query does not parse (above)"
fi
echo "promtool check rules: every dashboard query parses"

echo "== alerting rules and Alertmanager configs (docs/alerting, docker/alertmanager.yml)"
"$PROMTOOL" check rules docs/alerting/ramp-alerts.yml || fail "docs/alerting/ramp-alerts.yml has problems (above)"
(cd docs/alerting && "$PROMTOOL" test rules ramp-alerts.test.yml) || fail "docs/alerting/ramp-alerts.test.yml failed (above)"
if command -v amtool >/dev/null 2>&1; then
  for f in docs/alerting/alertmanager.yml docker/alertmanager.yml; do
    amtool check-config "$f" > "$tmp/amtool.out" 2>&1 || { cat "$tmp/amtool.out" >&2; fail "amtool check-config $f"; }
  done
  echo "amtool check-config: docs/alerting/alertmanager.yml and docker/alertmanager.yml are valid"
else
  echo "amtool check-config skipped: amtool is not installed (Debian package prometheus-alertmanager)"
fi

echo "== docker/ramp.conf with the compose environment"
if [ ! -f "$JAR" ]; then
  mvn -B -ntp -q -pl gateway -am package -DskipTests
fi
trusted=$(sed -n 's/^ *RAMP_TRUSTED_SOURCE: *//p' docker/compose.yml)
[ -n "$trusted" ] || fail "docker/compose.yml sets no RAMP_TRUSTED_SOURCE"
RAMP_ADMIN_TOKEN=lint RAMP_TRUSTED_SOURCE="$trusted" java -jar "$JAR" validate --config docker/ramp.conf \
  || fail "docker/ramp.conf is invalid with RAMP_TRUSTED_SOURCE=$trusted"
# The variable must reach trusted-sources: a value that is no CIDR is reported as the third entry.
if RAMP_TRUSTED_SOURCE=not-a-cidr java -jar "$JAR" validate --config docker/ramp.conf 2> "$tmp/validate.err"; then
  fail "docker/ramp.conf ignores RAMP_TRUSTED_SOURCE (a value that is no CIDR passed)"
fi
grep -q 'ramp.trusted-sources\[2\]' "$tmp/validate.err" || { cat "$tmp/validate.err" >&2; fail "no trusted-sources[2] problem"; }

echo "== compose config"
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  COMPOSE=()
fi
if [ ${#COMPOSE[@]} -eq 0 ]; then
  echo "skipped: neither \`docker compose\` nor \`docker-compose\` is installed"
else
  "${COMPOSE[@]}" version 2>/dev/null | head -1 || true
  RAMP_ADMIN_TOKEN=lint "${COMPOSE[@]}" -f docker/compose.yml config -q || fail "compose config found problems (above)"
  if env -u RAMP_ADMIN_TOKEN "${COMPOSE[@]}" -f docker/compose.yml config -q > "$tmp/compose.err" 2>&1; then
    fail "compose config passed without RAMP_ADMIN_TOKEN: the gateway would start with no token or an empty one"
  fi
  grep -q "RAMP_ADMIN_TOKEN" "$tmp/compose.err" || { cat "$tmp/compose.err" >&2; fail "the error without a token does not name RAMP_ADMIN_TOKEN"; }
  echo "compose config: valid with a token; without one it stops: $(grep -m1 RAMP_ADMIN_TOKEN "$tmp/compose.err")"
fi
echo "docker lint: ok"

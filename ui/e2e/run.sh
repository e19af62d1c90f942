#!/usr/bin/env bash
# ui/e2e/run.sh — the UI's tests, as `make test` runs them (from scripts/test):
# vitest unit tests, the production build, then the end-to-end flows in
# Debian's chromium against a real `probity serve` on 127.0.0.1:18085 (E2E_PORT)
# with the demo data loaded into the test Neo4j (PROBITY_TEST_NEO4J_URI) and
# a fresh API token. Chromium is installed with apt-get when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
PORT=${E2E_PORT:-18085}

if ! command -v npm >/dev/null; then
  echo "ui: SKIPPED — npm is not installed (Node 20+ is needed for the UI tests)"
  exit 0
fi
if [[ ! -x /usr/bin/chromium ]]; then
  echo "ui: installing chromium (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "== ui: npm ci, unit tests, build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npx vitest run && npm run build >/dev/null && node scripts/hash.mjs check)
if ! git diff --quiet -- ui/dist 2>/dev/null; then
  echo "ui: note — ui/dist changed on rebuild; commit it (go test ./ui checks the source hash)"
fi

echo "== ui: end-to-end in chromium"
go build -o bin/probity ./cmd/probity
commands=$(bin/probity help 2>&1 || true)
has() { grep -qE "^  $1 " <<<"$commands"; }
missing=()
has token || missing+=("probity token create (API branch)")
has load || missing+=("probity load (loader branch)")
if ((${#missing[@]})); then
  echo "ui e2e: SKIPPED — this binary lacks: ${missing[*]}"
  exit 0
fi
: "${PROBITY_TEST_NEO4J_URI:?PROBITY_TEST_NEO4J_URI must name the throw-away test server}"
export NEO4J_URI=$PROBITY_TEST_NEO4J_URI NEO4J_PASSWORD=${PROBITY_TEST_NEO4J_PASSWORD:-probity-local}

demo=seeds/demo
if [[ ! -f $demo/officers.csv ]]; then
  echo "ui e2e: SKIPPED — no demo data set in $demo (the generator writes it)"
  exit 0
fi
set +e
bin/probity load "$demo"
rc=$?
set -e
if ((rc != 0 && rc != 2)); then echo "ui e2e: probity load failed ($rc)" >&2; exit 1; fi
if has scan; then bin/probity scan >/dev/null || echo "ui e2e: note — probity scan failed; flag flows may skip"; fi
# The accuracy card's figures, then a scan that changes none of the flags
# they measured: the card must not call them stale (statA L1).
if has eval && has scan; then
  { PROBITY_PURPOSE=ui-e2e bin/probity eval --truth "$demo/truth.csv" --traps "$demo/traps.csv" >/dev/null 2>&1 &&
    bin/probity scan --incremental >/dev/null; } || echo "ui e2e: note — probity eval failed; the accuracy flow may skip"
fi

out=$(bin/probity token create --role reviewer --name "ui-e2e-$(date +%s)-$$")
token=$(grep -oE 'prb_[A-Za-z0-9_-]+' <<<"$out" | head -1)
if [[ -z $token ]]; then echo "ui e2e: no token in the output of probity token create: $out" >&2; exit 1; fi

# An officer with accesses gives the timeline something to show.
search=$(awk -F, 'NR==2 {print $1}' "$demo/accesses.csv" 2>/dev/null || true)
[[ -n $search ]] || search=$(awk -F, 'NR==2 {print $1}' "$demo/officers.csv")

log=$(mktemp)
PROBITY_ADDR=127.0.0.1:$PORT bin/probity serve >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "ui e2e: probity serve exited:" >&2; cat "$log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "ui e2e: probity serve not healthy:" >&2; cat "$log" >&2; exit 1; }

# A reviewer linked to a flagged officer (another officer of the same unit:
# the demo data records no line manager, so the same unit asks for recusal),
# for the recusal flow: the last flag of the queue's first page whose
# officer has a unit (the dismiss flow takes the first), that unit, another
# officer of it; the last other flag for the referral flow.
linked_token="" linked_flag="" own_token="" refer_flag=""
flags=$(curl -fsS "http://127.0.0.1:$PORT/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"query":"{ flags(first: 50) { nodes { id officer { key unit } } } }"}' || true)
pick=$(node -e '
  const d = JSON.parse(process.argv[1] || "{}"); const n = d.data?.flags?.nodes ?? [];
  // a demo officer whose unit has another demo officer: one left by other
  // tests (of no unit, or of a unit the demo lacks) has no unit-mate to link
  const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
  const units = new Map(); for (const r of rows) units.set(r[3], (units.get(r[3]) ?? 0) + 1);
  const demo = new Set(rows.map((r) => r[0]));
  const u = n.filter((x) => x.officer && x.officer.unit && demo.has(x.officer.key) && (units.get(x.officer.unit) ?? 0) > 1);
  const f = u[u.length - 1], g = n.filter((x) => x !== f).at(-1);
  if (f && g) console.log(f.id + "\t" + f.officer.key + "\t" + f.officer.unit + "\t" + g.id);' "$flags" "$demo/officers.csv" 2>/dev/null || true)
if [[ -n $pick ]]; then
  IFS=$'\t' read -r linked_flag flagged unit refer_flag <<<"$pick"
  other=$(awk -F, -v u="$unit" -v o="$flagged" 'NR > 1 && $4 == u && $1 != o {print $1; exit}' "$demo/officers.csv")
  if [[ -n $other ]]; then
    out=$(bin/probity token create --role reviewer --name "ui-e2e-linked-$(date +%s)-$$" --officer "$other")
    linked_token=$(grep -oE 'prb_[A-Za-z0-9_-]+' <<<"$out" | head -1)
  fi
  # the flagged officer's own token: no decision on the flag is theirs
  out=$(bin/probity token create --role reviewer --name "ui-e2e-own-$(date +%s)-$$" --officer "$flagged")
  own_token=$(grep -oE 'prb_[A-Za-z0-9_-]+' <<<"$out" | head -1)
fi

# An admin token and a schedule for the Schedules page's "run now".
out=$(bin/probity token create --role admin --name "ui-e2e-admin-$(date +%s)-$$")
admin_token=$(grep -oE 'prb_[A-Za-z0-9_-]+' <<<"$out" | head -1)
schedule="ui-e2e-$(date +%s)"
bin/probity schedule add "$schedule" "0 3 * * *" >/dev/null || schedule=""

rc=0
(cd ui && BASE_URL="http://127.0.0.1:$PORT" E2E_TOKEN="$token" E2E_SEARCH="$search" \
  E2E_LINKED_TOKEN="$linked_token" E2E_LINKED_FLAG="$linked_flag" E2E_OWN_TOKEN="$own_token" E2E_REFER_FLAG="$refer_flag" E2E_ADMIN_TOKEN="$admin_token" E2E_SCHEDULE="$schedule" \
  node e2e/flows.mjs) || rc=$?
[[ -n $schedule ]] && bin/probity schedule remove "$schedule" >/dev/null 2>&1 || true
exit $rc

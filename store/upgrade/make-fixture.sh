#!/usr/bin/env bash
# Makes store/upgrade/previous-release.sql.gz: a database populated by the PREVIOUS release's own code (its migrations,
# its demo seeding, a job run by its worker), dumped as plain SQL. store/upgrade/upgrade.test.ts restores it and runs
# today's migrations forward over it. Re-run at each release with the commit of the release before:
#   bash store/upgrade/make-fixture.sh <commit> <admin postgres url>     (e.g. from .ci/start-postgres.sh)
set -euo pipefail
commit="${1:?previous release commit}"
admin="${2:?admin postgres:// url}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/previous-release.XXXXXX)"
gateway='' worker=''
# the servers themselves (exec'd), so their sandbox processes are told to stop too
stop() { for pid in $worker $gateway; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap 'stop; rm -rf "$work"' EXIT

git -C "$repo" archive "$commit" | tar -x -C "$work"
# the previous release could not create DATA_DIR itself with DATABASE_URL (fixed since)
mkdir -p "$work/.data"
ln -s "$repo/node_modules" "$work/node_modules"
db="previous_release_$$"
psql -q "$admin" -c "CREATE DATABASE $db"
url="${admin%/*}/$db"
port=$((20000 + RANDOM % 20000))
export PUBLIC_URL="http://127.0.0.1:$port" DATABASE_URL="$url" PSEUDONYM_SECRET="$(printf '07%.0s' {1..32})" DEMO=1 DEMO_ROWS=200 PORT="$port" HOST=127.0.0.1 \
  DATA_DIR="$work/.data" BOOTSTRAP_SECURITY_PASSWORD=previous-security-pw BOOTSTRAP_STEWARD_PASSWORD=previous-steward-pw LOG_LEVEL=warn
(cd "$work" && exec node --import tsx gateway/main.ts >"$work/gateway.log" 2>&1) &
gateway=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/gateway.log" >&2; exit 1; }
# the worker refuses to start before the gateway has migrated
(cd "$work" && exec node --import tsx sandbox/worker.ts >"$work/worker.log" 2>&1) &
worker=$!
# one operator job through the previous release's own API and worker: jobs, results, the ε ledger, released cells
(cd "$work" && timeout 300 \
  node --import tsx sdk/cli.ts submit examples/income-by-district.js \
  --dataset population:region_code,birth_date,annual_income --params '{"bands":[18,30,45,60]}' --epsilon 0.5 >/dev/null) || true
stop
# psql's \restrict guard lines are dropped: the test runs the SQL through a driver, not psql
pg_dump --no-owner --no-privileges --inserts --rows-per-insert=200 "$url" | grep -v '^\\\(un\)\?restrict ' | gzip -9 >"$here/previous-release.sql.gz"
printf '%s\n' "$commit" >"$here/previous-release.commit"
psql -q "$admin" -c "DROP DATABASE $db WITH (FORCE)"
echo "wrote $here/previous-release.sql.gz ($(du -h "$here/previous-release.sql.gz" | cut -f1)) from $commit" >&2

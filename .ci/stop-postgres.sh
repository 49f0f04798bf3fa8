#!/usr/bin/env bash
# Stops the cluster started by start-postgres.sh and removes its files.
set -uo pipefail
state="${PGCI_STATE:-/tmp/pgci.dir}"
dir=$(cat "$state" 2>/dev/null) || exit 0
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1
else "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; fi
rm -rf "$dir" "$state"

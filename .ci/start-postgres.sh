#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a loopback port, installing Debian's server if absent.
# Prints the admin connection URL on stdout; the cluster lives in $PGTMP (default: a new temp dir).
set -euo pipefail
port="${PGPORT_TEST:-54329}"
# another cluster (a developer's) may hold the default port: take the next free one
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres

dir="${PGTMP:-$(mktemp -d /tmp/pgci.XXXXXX)}"
chown postgres "$dir"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
echo "$dir" > "${PGCI_STATE:-/tmp/pgci.dir}"
echo "postgres://postgres@127.0.0.1:$port/postgres"

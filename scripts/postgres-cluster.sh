# A throwaway local PostgreSQL cluster (sourced by .ci/run; usable by hand):
#   source scripts/postgres-cluster.sh; start_postgres_cluster; ...; stop_postgres_cluster
# Installs Debian's `postgresql` package if no server binaries are found, runs initdb into a new
# temporary directory, and starts the server on a free loopback port with trust authentication
# (loopback only). As root, the server runs as the `postgres` user (it refuses to run as root).
# Sets LENDING_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres.

postgres_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_postgres_cluster() {
  local bin
  bin="$(postgres_bin_dir)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql > /dev/null
    bin="$(postgres_bin_dir)"
  fi
  POSTGRES_CLUSTER_DIR="$(mktemp -d /tmp/lending-postgres.XXXXXX)"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  local run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$POSTGRES_CLUSTER_DIR"
    run=(su postgres -s /bin/sh -c)
  else
    run=(sh -c)
  fi
  "${run[@]}" "'$bin/initdb' -D '$POSTGRES_CLUSTER_DIR/data' -U postgres -A trust --no-sync > '$POSTGRES_CLUSTER_DIR/initdb.log'"
  "${run[@]}" "'$bin/pg_ctl' -D '$POSTGRES_CLUSTER_DIR/data' -l '$POSTGRES_CLUSTER_DIR/server.log' -w -t 60 \
      -o \"-c listen_addresses=127.0.0.1 -p $port -k '$POSTGRES_CLUSTER_DIR' -c max_connections=400 -c shared_buffers=256MB\" start > /dev/null"
  POSTGRES_CLUSTER_STOP=("${run[@]}" "'$bin/pg_ctl' -D '$POSTGRES_CLUSTER_DIR/data' -m fast -w stop > /dev/null")
  LENDING_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($POSTGRES_CLUSTER_DIR)"
}

stop_postgres_cluster() {
  if [ -n "${POSTGRES_CLUSTER_DIR:-}" ]; then
    "${POSTGRES_CLUSTER_STOP[@]}" || true
    rm -rf "$POSTGRES_CLUSTER_DIR"
    POSTGRES_CLUSTER_DIR=""
  fi
}

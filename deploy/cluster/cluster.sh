#!/usr/bin/env bash
# A cluster on one machine (docs/deploy.md, "A cluster on one machine"): nginx in front of two gunicorn nodes and
# serving the static files; PgBouncer (transaction mode) in front of a PostgreSQL primary and its streaming replica;
# Redis for the cache, the rate limits and the sessions; two task workers; media in one directory both nodes share.
#
#   deploy/cluster/cluster.sh start     # (make cluster) install what is missing, start everything, load the demo
#   deploy/cluster/cluster.sh stop      # (make cluster-stop) stop every process it started; the data stays
#   deploy/cluster/cluster.sh clean     # stop, then delete the run directory
#   deploy/cluster/cluster.sh status    # what runs, on which port
#   deploy/cluster/cluster.sh env       # the environment of the app processes (source it to run manage.py)
#
# Everything lives in CLUSTER_RUN (default /tmp/renda-cluster). Its own PostgreSQL primary and replica run from
# /usr/lib/postgresql/$PG_VERSION as the postgres user, so a PostgreSQL already on 5432 is neither used nor touched.
# Needs root (apt-get, and running PostgreSQL and PgBouncer as postgres). Ports: see below, all on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUN=${CLUSTER_RUN:-/tmp/renda-cluster}
PG_VERSION=${PG_VERSION:-15}
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
PROXY_PORT=${CLUSTER_PROXY_PORT:-8080}
NODE_PORTS=(${CLUSTER_NODE_PORTS:-8101 8102})
PGBOUNCER_PORT=${CLUSTER_PGBOUNCER_PORT:-6432}
PRIMARY_PORT=${CLUSTER_PRIMARY_PORT:-5434}
REPLICA_PORT=${CLUSTER_REPLICA_PORT:-5433}
REDIS_PORT=${CLUSTER_REDIS_PORT:-6380}
WORKERS=${CLUSTER_WORKERS:-2}
GUNICORN_WORKERS=${CLUSTER_GUNICORN_WORKERS:-2}
PY=$ROOT/.venv/bin/python

say() { printf '%s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }
as_postgres() { runuser -u postgres -- "$@"; }
pidof_file() { test -s "$1" && kill -0 "$(cat "$1")" 2>/dev/null && cat "$1"; }
wait_port() {  # port, what, tries (0.2 s each)
    for _ in $(seq 1 "${3:-150}"); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.2
    done
    die "$2 did not open port $1 (see $RUN/logs)"
}

write_env() {
    local key
    key=$(cat "$RUN/fernet.key")
    cat >"$RUN/app.env" <<EOF
DEBUG=0
SECRET_KEY=cluster-demo-secret-$(cat "$RUN/secret")
FIELD_ENCRYPTION_KEYS=$key
ALLOWED_HOSTS=127.0.0.1,localhost
PUBLIC_BASE_URL=http://127.0.0.1:$PROXY_PORT
SECURE_COOKIES=false
SECURE_HSTS_SECONDS=0
DATABASE_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/renda
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/renda_replica
DB_PGBOUNCER=true
DB_CONN_MAX_AGE=60
DB_REPLICA_PIN_SECONDS=10
DB_ROUTER_LOG_LEVEL=INFO
CACHE_URL=redis://127.0.0.1:$REDIS_PORT/0
RATELIMIT_STORE=cache
SESSION_STORE=cache
TRUSTED_PROXIES=127.0.0.1/32
MEDIA_ROOT=$RUN/media
MEDIA_ACCEL_REDIRECT=/protected-media/
STATIC_ROOT=$RUN/static
TASKS_BACKEND=django_tasks_db.DatabaseBackend
EOF
    # Migrations and the demo load go to the primary directly (one long transaction each, no pooler needed).
    printf 'DIRECT_DATABASE_URL=postgres://postgres@127.0.0.1:%s/renda\n' "$PRIMARY_PORT" >>"$RUN/app.env"
}

app() {  # run a manage.py command with the cluster's environment
    env $(grep -v '^#' "$RUN/app.env" | xargs) "$PY" manage.py "$@"
}

install_packages() {
    local missing=()
    command -v nginx >/dev/null || test -x /usr/sbin/nginx || missing+=(nginx)
    command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || missing+=(pgbouncer)
    command -v redis-server >/dev/null || missing+=(redis-server)
    test -x "$PG_BIN/postgres" || missing+=("postgresql-$PG_VERSION")
    if ((${#missing[@]})); then
        test "$(id -u)" = 0 || die "missing: ${missing[*]} (install them: apt-get install -y ${missing[*]})"
        say "installing ${missing[*]} (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >"$RUN/logs/apt.log" 2>&1 ||
            die "apt-get install ${missing[*]} failed (see $RUN/logs/apt.log)"
    fi
    test -x .venv/bin/gunicorn || die "gunicorn is missing from .venv (make install: it is a development requirement)"
    test "$(id -u)" = 0 || die "run as root: PostgreSQL and PgBouncer run as the postgres user"
}

start_postgres() {
    install -d -o postgres -g postgres "$RUN/pg" "$RUN/pg/sock"
    touch "$RUN/logs/primary.log" "$RUN/logs/replica.log" "$RUN/logs/initdb.log" "$RUN/logs/basebackup.log"
    chown postgres "$RUN/logs/primary.log" "$RUN/logs/replica.log" "$RUN/logs/initdb.log" "$RUN/logs/basebackup.log"
    if ! test -s "$RUN/pg/primary/PG_VERSION"; then
        say "primary: initdb"
        as_postgres "$PG_BIN/initdb" -D "$RUN/pg/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$RUN/logs/initdb.log"
        # wal_level=replica and max_wal_senders are PostgreSQL's defaults; initdb's pg_hba allows replication from
        # 127.0.0.1 with the method given (trust, as the local server of this machine).
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/primary" status >/dev/null 2>&1; then
        as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/primary" -l "$RUN/logs/primary.log" -w start \
            -o "-p $PRIMARY_PORT -c listen_addresses=127.0.0.1 -k $RUN/pg/sock -c max_connections=100" >/dev/null
    fi
    if ! psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "select 1 from pg_database where datname='renda'" | grep -q 1; then
        createdb -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -T template0 -E UTF8 renda
        # No JIT for the app's short queries (DB_JIT in docs/deploy.md): through PgBouncer the connection's own
        # "-c jit=off" cannot be passed, so the database says it.
        psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qc "ALTER DATABASE renda SET jit = off"
    fi
    if ! test -s "$RUN/pg/replica/PG_VERSION"; then
        say "replica: pg_basebackup -R from the primary"
        as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$RUN/pg/replica" \
            -R -X stream -c fast >"$RUN/logs/basebackup.log" 2>&1
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/replica" status >/dev/null 2>&1; then
        as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/replica" -l "$RUN/logs/replica.log" -w start \
            -o "-p $REPLICA_PORT -c listen_addresses=127.0.0.1 -k $RUN/pg/sock" >/dev/null
    fi
    test "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atc 'select pg_is_in_recovery()')" = t ||
        die "the server on $REPLICA_PORT is not a replica"
}

start_pgbouncer() {
    install -d -o postgres -g postgres "$RUN/pgbouncer"
    cat >"$RUN/pgbouncer/pgbouncer.ini" <<EOF
[databases]
renda = host=127.0.0.1 port=$PRIMARY_PORT dbname=renda
renda_replica = host=127.0.0.1 port=$REPLICA_PORT dbname=renda

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $RUN/pgbouncer/userlist.txt
admin_users = postgres
; A server connection serves one transaction of one client, then the next client's: Django runs with
; DB_PGBOUNCER=true (no server-side cursors, no prepared statements), see docs/deploy.md.
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
reserve_pool_size = 5
; a restarted PostgreSQL: clients wait in the queue for up to this many seconds instead of failing at once
query_wait_timeout = 15
server_connect_timeout = 3
server_login_retry = 1
ignore_startup_parameters = extra_float_digits,options
logfile = $RUN/logs/pgbouncer.log
pidfile = $RUN/pgbouncer/pgbouncer.pid
EOF
    printf '"postgres" ""\n' >"$RUN/pgbouncer/userlist.txt"
    chown postgres:postgres "$RUN/pgbouncer"/* && touch "$RUN/logs/pgbouncer.log" && chown postgres "$RUN/logs/pgbouncer.log"
    pidof_file "$RUN/pgbouncer/pgbouncer.pid" >/dev/null || as_postgres pgbouncer -d "$RUN/pgbouncer/pgbouncer.ini"
    wait_port "$PGBOUNCER_PORT" pgbouncer
}

start_redis() {
    mkdir -p "$RUN/redis"
    if ! pidof_file "$RUN/pids/redis.pid" >/dev/null; then
        # Append-only file: sessions and rate-limit counts survive a Redis restart.
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN/redis" --daemonize yes \
            --pidfile "$RUN/pids/redis.pid" --logfile "$RUN/logs/redis.log" --save "" --appendonly yes \
            --appendfsync everysec
    fi
    wait_port "$REDIS_PORT" redis
}

prepare_app() {
    say "migrate (primary, direct), collectstatic, demo data"
    local direct
    direct=$(grep '^DIRECT_DATABASE_URL=' "$RUN/app.env" | cut -d= -f2-)
    env $(grep -v '^#' "$RUN/app.env" | xargs) DATABASE_URL="$direct" DATABASE_REPLICA_URL= \
        "$PY" manage.py migrate --noinput >"$RUN/logs/migrate.log" 2>&1 || die "migrate failed (see $RUN/logs/migrate.log)"
    app collectstatic --noinput >"$RUN/logs/collectstatic.log" 2>&1 || die "collectstatic failed"
    if ! test -e "$RUN/demo-loaded"; then
        env $(grep -v '^#' "$RUN/app.env" | xargs) DATABASE_URL="$direct" DATABASE_REPLICA_URL= \
            "$PY" manage.py load_demo --opinions "${CLUSTER_DEMO_OPINIONS:-200}" >"$RUN/logs/load_demo.log" 2>&1 ||
            die "load_demo failed (see $RUN/logs/load_demo.log)"
        touch "$RUN/demo-loaded"
    fi
    mkdir -p "$RUN/media"
    chmod 755 "$RUN" "$RUN/static"
}

start_node() {  # number, port
    local pidfile=$RUN/pids/node$1.pid
    pidof_file "$pidfile" >/dev/null && return 0
    env $(grep -v '^#' "$RUN/app.env" | xargs) .venv/bin/gunicorn renda.wsgi --bind "127.0.0.1:$2" \
        --workers "$GUNICORN_WORKERS" --timeout 30 --graceful-timeout 5 --pid "$pidfile" --daemon \
        --error-logfile "$RUN/logs/node$1.log" --capture-output
    wait_port "$2" "node $1"
}

start_worker() {  # number
    # A supervisor loop, as systemd's Restart=always with ExecStopPost would be: db_worker exits on a database error
    # other than a lock (a restarted PostgreSQL); the tasks it had claimed go back to the queue and it is started
    # again a second later. The loop leads its own process group.
    local pidfile=$RUN/pids/worker$1.pid
    pidof_file "$pidfile" >/dev/null && return 0
    env $(grep -v '^#' "$RUN/app.env" | xargs) setsid bash -c '
        trap "kill \$child 2>/dev/null; wait \$child; exit 0" TERM
        while true; do
            "$0" manage.py db_worker --worker-id "$1" --interval 0.5 & child=$!
            wait $child; status=$?
            echo "$(date -u +%FT%TZ) db_worker exited (status $status), starting it again in 1 s"
            sleep 1
            # What it had claimed is lost with it: back to the queue (fails harmlessly while PostgreSQL is down).
            "$0" manage.py requeue_lost_tasks --worker "$1" || true
        done' "$PY" "worker$1" >>"$RUN/logs/worker$1.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
}

start_nginx() {
    mkdir -p "$RUN/nginx"
    chown www-data "$RUN/nginx" 2>/dev/null || true
    local upstream="" port
    for port in "${NODE_PORTS[@]}"; do
        upstream+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    done
    cat >"$RUN/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $RUN/pids/nginx.pid;
error_log $RUN/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log $RUN/logs/nginx-access.log;
    client_body_temp_path $RUN/nginx/body;
    proxy_temp_path $RUN/nginx/proxy;
    fastcgi_temp_path $RUN/nginx/fastcgi;
    uwsgi_temp_path $RUN/nginx/uwsgi;
    scgi_temp_path $RUN/nginx/scgi;
    client_max_body_size 25m;
    upstream renda_nodes {
$upstream        keepalive 16;
    }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        # Static files straight from collectstatic's directory; uploads never (private files go through views).
        location /static/ { alias $RUN/static/; expires 7d; access_log off; }
        location /media/ { return 404; }
        # A private file (an opinion's photo): a node checks who asks and answers X-Accel-Redirect; nginx sends the
        # file from the shared media directory.
        location /protected-media/ { internal; alias $RUN/media/; add_header X-Upstream \$upstream_addr always; }
        location / {
            proxy_pass http://renda_nodes;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            # A node that refuses connections (stopped, restarting) is skipped: the request goes to the other one.
            # A request a node received and then lost is not replayed (POST): the client retries with its key.
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            add_header X-Upstream \$upstream_addr always;
        }
    }
}
EOF
    if pidof_file "$RUN/pids/nginx.pid" >/dev/null; then
        nginx -c "$RUN/nginx/nginx.conf" -s reload
    else
        nginx -c "$RUN/nginx/nginx.conf"
    fi
    wait_port "$PROXY_PORT" nginx
}

start() {
    mkdir -p "$RUN/logs" "$RUN/pids"
    chmod 755 "$RUN"
    test -s "$RUN/secret" || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RUN/secret"
    test -s "$RUN/fernet.key" || "$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >"$RUN/fernet.key"
    install_packages
    write_env
    start_postgres
    start_pgbouncer
    start_redis
    prepare_app
    local n=1 port
    for port in "${NODE_PORTS[@]}"; do start_node "$n" "$port"; n=$((n + 1)); done
    for n in $(seq 1 "$WORKERS"); do start_worker "$n"; done
    start_nginx
    status
    say "proxy: http://127.0.0.1:$PROXY_PORT/  (demo logins: manage.py demo_logins; test: make cluster-test)"
}

stop_pidfile() {  # pidfile, name
    local pid
    if pid=$(pidof_file "$1"); then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        say "stopped $2"
    fi
    rm -f "$1"
}

stop() {
    test -d "$RUN" || { say "nothing runs ($RUN does not exist)"; return 0; }
    stop_pidfile "$RUN/pids/nginx.pid" nginx
    local f
    for f in "$RUN"/pids/node*.pid; do test -e "$f" && stop_pidfile "$f" "$(basename "$f" .pid)"; done
    for f in "$RUN"/pids/worker*.pid; do test -e "$f" && stop_pidfile "$f" "$(basename "$f" .pid)"; done
    stop_pidfile "$RUN/pgbouncer/pgbouncer.pid" pgbouncer
    stop_pidfile "$RUN/pids/redis.pid" redis
    local db
    for db in replica primary; do
        if test -d "$RUN/pg/$db" && as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/$db" status >/dev/null 2>&1; then
            as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/$db" -m fast -w stop >/dev/null && say "stopped postgresql $db"
        fi
    done
}

status() {
    local f port
    say "run directory: $RUN"
    printf '  %-10s %s\n' proxy "http://127.0.0.1:$PROXY_PORT pid $(pidof_file "$RUN/pids/nginx.pid" || echo -)"
    local n=1
    for port in "${NODE_PORTS[@]}"; do
        printf '  %-10s %s\n' "node$n" "127.0.0.1:$port pid $(pidof_file "$RUN/pids/node$n.pid" || echo -)"
        n=$((n + 1))
    done
    for f in "$RUN"/pids/worker*.pid; do
        test -e "$f" && printf '  %-10s %s\n' "$(basename "$f" .pid)" "pid $(pidof_file "$f" || echo -)"
    done
    printf '  %-10s %s\n' pgbouncer "127.0.0.1:$PGBOUNCER_PORT pid $(pidof_file "$RUN/pgbouncer/pgbouncer.pid" || echo -)"
    printf '  %-10s %s\n' primary "127.0.0.1:$PRIMARY_PORT"
    printf '  %-10s %s\n' replica "127.0.0.1:$REPLICA_PORT"
    printf '  %-10s %s\n' redis "127.0.0.1:$REDIS_PORT pid $(pidof_file "$RUN/pids/redis.pid" || echo -)"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
clean) stop; rm -rf "$RUN"; say "removed $RUN" ;;
status) status ;;
env) cat "$RUN/app.env" ;;
manage) shift; app "$@" ;;  # a manage.py command with the cluster's settings, e.g. `cluster.sh manage demo_logins`
# Used by the end-to-end test (deploy/cluster/e2e.py) to kill and restart one piece.
start-node) start_node "$2" "${NODE_PORTS[$(($2 - 1))]}" ;;
start-worker) start_worker "$2" ;;
restart-primary) as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/primary" -l "$RUN/logs/primary.log" -m fast -w restart >/dev/null ;;
restart-redis)
    stop_pidfile "$RUN/pids/redis.pid" redis
    start_redis
    ;;
*) die "usage: $0 start|stop|clean|status|env|manage <command>" ;;
esac

#!/bin/sh
# Prove the offline bundle needs no network: install it inside a network namespace with no route out, migrate a
# SQLite database and serve a page with gunicorn on 127.0.0.1 there. Needs root (ip netns) and a few minutes; not
# part of `make test`.
#   sudo deploy/test-offline-install.sh [dist/renda-bundle-….tar.gz]     (default: the newest bundle in dist/)
set -eu
cd "$(dirname "$0")/.."
test "$(id -u)" = 0 || { echo "run as root: network namespaces need it" >&2; exit 1; }
command -v ip >/dev/null || { apt-get install -y iproute2 >/dev/null || { echo "install iproute2" >&2; exit 1; }; }
bundle=${1:-$(ls -t dist/renda-bundle-*.tar.gz 2>/dev/null | head -n 1)}
test -f "$bundle" || { echo "no bundle: run make bundle first, or name one" >&2; exit 1; }
bundle=$(readlink -f "$bundle")
ns="renda-offline-$$"
work=$(mktemp -d /tmp/renda-offline-XXXXXX)
server=
cleanup() {
    test -z "$server" || ip netns exec "$ns" kill "$server" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up  # loopback only: no other interface, no route out
inside() { ip netns exec "$ns" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" LANG=C.UTF-8 "$@"; }

echo "1. the namespace has no way out"
if inside curl -sS --max-time 5 -o /dev/null https://pypi.org/simple/ 2>/dev/null; then
    echo "FAIL: pypi.org is reachable from the namespace" >&2; exit 1
fi
inside ip route | grep -q . && { echo "FAIL: the namespace has a route" >&2; exit 1; }
echo "   pypi.org unreachable, no routes"

echo "2. install from $(basename "$bundle") ($(du -h "$bundle" | cut -f1))"
start=$(date +%s)
inside tar -C "$work" -xzf "$bundle"  # then the bundle's own install.sh, as a deployer runs it
inside sh "$work"/renda-bundle-*/install.sh "$work/renda"
echo "   installed in $(($(date +%s) - start)) s"

echo "3. migrate SQLite and serve a page"
cd "$work/renda"
run() {
    inside DEBUG=false SECRET_KEY=offline-test-not-secret ALLOWED_HOSTS=127.0.0.1 DATABASE_URL="sqlite:///$work/db.sqlite3" \
        MEDIA_ROOT="$work/media" FIELD_ENCRYPTION_KEYS="$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
        "$@"
}
run .venv/bin/python manage.py migrate --noinput >/dev/null
run .venv/bin/python manage.py createcachetable
run .venv/bin/python manage.py collectstatic --noinput >/dev/null
run .venv/bin/gunicorn --bind 127.0.0.1:8765 --workers 1 --pid "$work/gunicorn.pid" renda.wsgi >"$work/gunicorn.log" 2>&1 &
for _ in $(seq 1 60); do test -s "$work/gunicorn.pid" && break; sleep 0.5; done
server=$(cat "$work/gunicorn.pid")
status=$(inside curl -sS --retry 10 --retry-connrefused --retry-delay 1 -o "$work/page.html" -w '%{http_code}' \
    http://127.0.0.1:8765/accounts/login/)
test "$status" = 200 || { echo "FAIL: the login page answered $status" >&2; cat "$work/gunicorn.log" >&2; exit 1; }
grep -q 'csrfmiddlewaretoken' "$work/page.html" || { echo "FAIL: not the login form" >&2; exit 1; }
echo "   GET http://127.0.0.1:8765/accounts/login/ inside the namespace: 200, the login form"
echo "OK: installed, migrated and served with no network"

#!/usr/bin/env bash
# Serve the demo: a background task worker (imports run there) and the development server in front.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
.venv/bin/python manage.py db_worker >/tmp/renda-worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py demo_logins --port "$PORT"
exec_status=0
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" || exec_status=$?
exit $exec_status

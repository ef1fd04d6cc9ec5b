#!/usr/bin/env bash
# Serve the demo: a background task worker (imports run there), the dashboards' summary refreshed every
# DEMO_REFRESH_SECONDS as a deployment's cron does (the dashboards and the statistics page show its time), and the
# development server in front.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
REFRESH="${DEMO_REFRESH_SECONDS:-300}"
.venv/bin/python manage.py db_worker >/tmp/renda-worker.log 2>&1 &
worker=$!
(while sleep "$REFRESH"; do .venv/bin/python manage.py refresh_dashboards >>/tmp/renda-refresh.log 2>&1 || true; done) &
refresher=$!
trap 'kill $worker $refresher 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py demo_logins --port "$PORT"
exec_status=0
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" || exec_status=$?
exit $exec_status

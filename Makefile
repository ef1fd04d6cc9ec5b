# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo runs with DEBUG on and SQLite unless DATABASE_URL says otherwise.
DEMO_ENV := DEBUG=$${DEBUG:-1}

.PHONY: install demo test lint bench bench-opinions bench-instructions bench-big bench-receptions bench-dashboards page-weight screenshots \
	charts messages clean bundle install-offline cluster cluster-stop cluster-clean cluster-test

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to install the front-end packages"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py refresh_dashboards
	$(DEMO_ENV) PORT=$(PORT) scripts/serve-demo.sh

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=renda.test_settings >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run.py

# Needs PostgreSQL: creates and drops its own database next to the one in DATABASE_URL (see docs/performance.md).
bench-opinions: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renda} $(BIN)/python bench/opinions.py $(BENCH_ARGS)

# The app's instructions per request (valgrind callgrind; bare insert, JSON API, web form): a figure that does not
# drift with the machine. DATABASE_URL: a scratch database with the demo city (bench-big BENCH_ARGS="load --size 0").
bench-instructions: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renda_big} $(BIN)/python bench/instructions.py $(BENCH_ARGS)

# 10 M opinions in <name>_big, kept between runs: BENCH_ARGS="load --size 10000000", "measure", "dashboards", "drop"
# (bench/big.py).
bench-big: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renda} $(BIN)/python bench/big.py $(BENCH_ARGS)

# Reception days: the planner at province size and, with DATABASE_URL (PostgreSQL), the schedule and live board.
bench-receptions: install
	$(BIN)/python bench/receptions.py $(BENCH_ARGS)

# Every public page's first-visit weight, gzip-compressed as served, against the 60 KB budget (docs/performance.md).
page-weight: install
	$(BIN)/python bench/page_weight.py $(BENCH_ARGS)

# The README's screenshots (docs/screenshots/), from a fresh demo, by headless Chromium (apt-get install chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py

# Dashboards' chart queries at millions of opinions (PostgreSQL; its own database, dropped after).
bench-dashboards: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renda} $(BIN)/python bench/dashboards.py $(BENCH_ARGS)

# The ECharts build the dashboards serve is committed (renda/dashboards/static/dashboards/echarts.min.js), so neither
# the site nor the offline bundle needs Node at run time; rebuild it after changing its entry file or echarts.
charts: install
	npm run build:charts

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules
	DEBUG=1 $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# Offline installation (docs/deploy.md): the bundle of every wheel, the front-end packages and the source, for one
# Python and platform (BUNDLE_PYTHON: the target's interpreter, default python3 as on the target); then, on the
# machine with no network, the install from it (PREFIX: where to).
BUNDLE_PYTHON ?= $(PYTHON)
bundle:
	PYTHON=$(BUNDLE_PYTHON) deploy/make-bundle.sh

install-offline:
	@test -n "$(BUNDLE)" -a -n "$(PREFIX)" || { echo "usage: make install-offline BUNDLE=renda-bundle-….tar.gz PREFIX=/srv/renda"; exit 2; }
	deploy/install-offline.sh "$(BUNDLE)" "$(PREFIX)"

# A cluster on one machine (docs/deploy.md): nginx, two gunicorn nodes, PgBouncer, a PostgreSQL primary and its
# streaming replica, Redis, two task workers (needs root; installs nginx and pgbouncer from Debian if missing).
cluster: install
	deploy/cluster/cluster.sh start

cluster-stop:
	deploy/cluster/cluster.sh stop

cluster-clean:
	deploy/cluster/cluster.sh clean

# The end-to-end test of a running cluster (make cluster first); not part of `make test` (it starts no services).
cluster-test:
	$(BIN)/python deploy/cluster/e2e.py $(E2E_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 .pytest_cache

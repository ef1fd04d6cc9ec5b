"""End-to-end test of the cluster on one machine (make cluster, then make cluster-test; docs/deploy.md).

Talks to the running cluster over HTTP (each node directly, and the proxy) and reads PostgreSQL directly to check what
HTTP said. Seven checks, each printed with its figures; exits 1 at the first that fails:

1. opinions submitted through both nodes are each found from the other node (and a retry with the same
   Idempotency-Key on the other node answers the same opinion);
2. a rate limit counts across the nodes (one client alternating between them gets exactly the limit);
3. one node and one task worker killed (SIGKILL) while clients submit through the proxy: every acknowledged opinion
   exists exactly once, nothing acknowledged is lost, every task ends done (requeue_lost_tasks for a killed one);
4. PostgreSQL (the primary) and then Redis restarted under the same load: answers meanwhile are 503 with Retry-After
   in the API's JSON error shape (a staff page: 503, never a logout), nothing is lost or doubled, and the time until
   submissions succeed again;
5. a dashboard read from the replica (the node's log line, the replica's transaction count), and pinned to the
   primary right after the user wrote; and (5b) a replica cut off from the primary (its WAL receiver stopped) is not
   read from once its last transaction is older than DB_REPLICA_MAX_LAG_SECONDS, and is again once it streams;
6. a photo uploaded through one node is served by the other (its check, then nginx from the shared directory).

Clients send X-Forwarded-For with a made-up address per client: the nodes trust 127.0.0.1 as their proxy
(TRUSTED_PROXIES), so each simulated client has its own rate-limit counts, as real clients behind nginx do.
"""

import argparse
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import requests
from PIL import Image
from psycopg.sql import SQL, Literal

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster" / "cluster.sh"
RUN = Path(os.environ.get("CLUSTER_RUN", "/tmp/renda-cluster"))
PROXY = f"http://127.0.0.1:{os.environ.get('CLUSTER_PROXY_PORT', '8080')}"
NODES = [f"http://127.0.0.1:{port}" for port in os.environ.get("CLUSTER_NODE_PORTS", "8101 8102").split()]
PRIMARY = f"host=127.0.0.1 port={os.environ.get('CLUSTER_PRIMARY_PORT', '5434')} user=postgres dbname=renda"
REPLICA = f"host=127.0.0.1 port={os.environ.get('CLUSTER_REPLICA_PORT', '5433')} user=postgres dbname=renda"
RETRY_STATUSES = {502, 503, 504}
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo-2026!")
RESULTS: list[str] = []


def report(line: str) -> None:
    print(line, flush=True)
    RESULTS.append(line)


def fail(message: str) -> None:
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def check(condition: bool, message: str) -> None:
    if not condition:
        fail(message)


def sql(dsn: str, query: str, params=()):
    with psycopg.connect(dsn, autocommit=True) as connection:
        return connection.execute(query, params).fetchall()


def run_sql(dsn: str, query) -> None:
    """A statement that returns no rows (ALTER SYSTEM), outside a transaction."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(query)


def client_ip() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def app_env() -> dict:
    values = {}
    for line in (RUN / "app.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            values[name] = value
    return values


class World:
    def __init__(self):
        for base in NODES:  # a node just started imports and compiles on its first requests: wait for it
            for _attempt in range(4):
                try:
                    requests.get(f"{base}/api/v1/categories", timeout=60)
                    requests.get(f"{base}/accounts/login/", timeout=60)
                    break
                except requests.RequestException:
                    time.sleep(2)
        stations = requests.get(f"{NODES[0]}/api/v1/stations?limit=5", timeout=30).json()["items"]
        self.stations = [item["code"] for item in stations]
        self.category = requests.get(f"{NODES[0]}/api/v1/categories", timeout=30).json()[0]["id"]
        self.limit = int(app_env().get("LIMIT_SUBMIT_PER_IP_HOUR", "10"))

    def payload(self, text: str) -> dict:
        # The same text always to the same station: a retry must send the same opinion (else 409 conflict).
        station = self.stations[sum(text.encode()) % len(self.stations)]
        return {"station": station, "category": self.category, "text": text}


def submit(base: str, world: World, key: str, ip: str, text: str, timeout: float = 30) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/opinions",
        json=world.payload(text),
        headers={"Idempotency-Key": key, "X-Forwarded-For": ip},
        timeout=timeout,
    )


def track(base: str, code: str) -> requests.Response:
    return requests.get(f"{base}/api/v1/opinions/{code}", headers={"X-Forwarded-For": client_ip()}, timeout=30)


# 1. Through both nodes, found from the other -----------------------------------------------------------------------


def cross_nodes(world: World, count: int) -> None:
    submitted = []  # (node index, key, code)
    ip = client_ip()
    for number in range(count):
        if number % world.limit == world.limit - 1:
            ip = client_ip()
        node = number % 2
        key = str(uuid.uuid4())
        response = submit(NODES[node], world, key, ip, f"e2e 跨节点意见 {number} {key[:8]}")
        check(response.status_code == 201, f"node {node + 1} answered {response.status_code}: {response.text[:200]}")
        submitted.append((node, key, response.json()["tracking_code"]))
    found = 0
    for node, _key, code in submitted:
        response = track(NODES[1 - node], code)
        check(
            response.status_code == 200, f"{code} from node {node + 1} not found on the other: {response.status_code}"
        )
        found += response.json()["tracking_code"] == code
    node, key, code = submitted[0]
    again = submit(NODES[1 - node], world, key, client_ip(), f"e2e 跨节点意见 0 {key[:8]}")
    check(
        again.status_code == 200 and again.json()["tracking_code"] == code,
        "a retry on the other node was not idempotent",
    )
    check(not again.json()["created"], "a retry on the other node created a second opinion")
    report(
        f"1. cross-node: {count} opinions submitted alternately through node 1 and node 2, {found}/{count} found "
        "from the other node; a retry of one with its Idempotency-Key on the other node answered the same opinion "
        "(200, created=false)"
    )


# 2. A rate limit across the nodes ----------------------------------------------------------------------------------


def rate_limit(world: World) -> None:
    ip = client_ip()
    by_node = Counter()
    refused_by = None
    for number in range(world.limit + 3):
        node = number % 2
        response = submit(NODES[node], world, str(uuid.uuid4()), ip, f"e2e 限流 {number}")
        if response.status_code == 201:
            by_node[node + 1] += 1
        elif response.status_code == 429:
            check(response.json()["code"] == "rate_limited", "429 without the rate_limited code")
            refused_by = refused_by or node + 1
        else:
            fail(f"unexpected {response.status_code} while testing the limit")
    accepted = sum(by_node.values())
    check(accepted == world.limit, f"{accepted} accepted from one address, the limit is {world.limit}")
    report(
        f"2. rate limit across nodes: one client alternating between the nodes: {accepted} accepted "
        f"(node 1: {by_node[1]}, node 2: {by_node[2]}) = LIMIT_SUBMIT_PER_IP_HOUR, then 429 rate_limited "
        f"(first refused by node {refused_by}); counted in Redis, shared by both nodes"
    )


# Load through the proxy, with retries ------------------------------------------------------------------------------


class Load:
    """Clients that submit through the proxy; each opinion is retried with its own key until it is acknowledged."""

    def __init__(self, world: World, clients: int, per_client: int, label: str):
        self.world, self.clients, self.per_client = world, clients, per_client
        self.label = f"{label}-{uuid.uuid4().hex[:6]}"  # this run's opinions only
        self.acknowledged: dict[str, str] = {}  # key -> tracking code
        self.statuses = Counter()
        self.errors = Counter()
        self.bad_shapes: list[str] = []
        self.first_failure = None
        self.last_failure = None
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def _client(self):
        for _number in range(self.per_client):
            # One address per opinion: attempts lost with a killed node still counted against their address.
            ip = client_ip()
            key = str(uuid.uuid4())
            deadline = time.monotonic() + 90
            while True:
                try:
                    response = submit(PROXY, self.world, key, ip, f"e2e {self.label} {key[:8]}", timeout=20)
                    status = response.status_code
                except requests.RequestException as exc:
                    response, status = None, type(exc).__name__
                with self.lock:
                    self.statuses[status] += 1
                if status in (200, 201):
                    with self.lock:
                        self.acknowledged[key] = response.json()["tracking_code"]
                    break
                now = time.monotonic()
                with self.lock:
                    self.first_failure = self.first_failure or now
                    self.last_failure = now
                if response is not None and status == 503:
                    body = (
                        response.json()
                        if response.headers.get("Content-Type", "").startswith("application/json")
                        else None
                    )
                    if not body or set(body) != {"code", "message", "details"} or "Retry-After" not in response.headers:
                        with self.lock:
                            self.bad_shapes.append(response.text[:200])
                elif response is not None and status not in RETRY_STATUSES:
                    with self.lock:
                        self.errors[f"{status}: {response.text[:120]}"] += 1
                    break
                if now > deadline:
                    with self.lock:
                        self.errors["gave up after 90 s"] += 1
                    break
                # A real client waits Retry-After seconds; this one retries sooner to measure the recovery.
                time.sleep(0.25)

    def start(self):
        for thread in self.threads:
            thread.start()

    def join(self):
        for thread in self.threads:
            thread.join()

    def verify(self) -> int:
        check(not self.errors, f"{self.label}: requests failed for good: {dict(self.errors)}")
        check(not self.bad_shapes, f"{self.label}: 503 not in the JSON error shape: {self.bad_shapes[:3]}")
        codes = list(self.acknowledged.values())
        check(len(codes) == self.clients * self.per_client, f"{self.label}: not every opinion was acknowledged")
        check(len(set(codes)) == len(codes), f"{self.label}: two keys answered the same opinion")
        rows = sql(
            PRIMARY,
            "SELECT tracking_code, count(*) FROM opinions_opinion WHERE tracking_code = ANY(%s) GROUP BY 1",
            (codes,),
        )
        check(len(rows) == len(codes), f"{self.label}: {len(codes) - len(rows)} acknowledged opinions are missing")
        check(all(n == 1 for _code, n in rows), f"{self.label}: an opinion was stored twice")
        doubled = sql(
            PRIMARY,
            "SELECT count(*) FROM opinions_opinion WHERE text LIKE %s",
            (f"e2e {self.label} %",),
        )[0][0]
        check(doubled == len(codes), f"{self.label}: {doubled} opinions stored for {len(codes)} keys")
        return len(codes)


def opinion_count() -> int:
    return sql(PRIMARY, "SELECT count(*) FROM opinions_opinion")[0][0]


def pids(pidfile: Path) -> list[int]:
    master = int(pidfile.read_text())
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [master, *map(int, children)]


def wait_tasks(timeout: float = 60) -> Counter:
    deadline = time.monotonic() + timeout
    while True:
        counts = Counter(
            dict(sql(PRIMARY, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"))
        )
        if not counts["READY"] and not counts["RUNNING"] or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


# 3. A node and a worker killed -------------------------------------------------------------------------------------


def kill_node_and_worker(world: World, clients: int, per_client: int) -> None:
    failed_before = wait_tasks()["FAILED"]
    load = Load(world, clients, per_client, "kill")
    started = time.monotonic()
    load.start()
    time.sleep(2)
    # The node: gunicorn's master and its workers. The task worker: the db_worker process under its supervisor loop.
    node_pids, worker_pid = pids(RUN / "pids" / "node1.pid"), pids(RUN / "pids" / "worker1.pid")[1]
    for pid in [*node_pids, worker_pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # a gunicorn worker that had just exited
            pass
    killed_at = time.monotonic() - started
    time.sleep(4)
    (RUN / "pids" / "node1.pid").unlink(missing_ok=True)
    subprocess.run([SCRIPT, "start-node", "1"], check=True, capture_output=True)
    load.join()
    elapsed = time.monotonic() - started
    stored = load.verify()
    # A task the killed worker had claimed went back to the queue (requeue_lost_tasks --worker, by its supervisor).
    tasks = wait_tasks()
    requeued = re.findall(r"\d+ lost tasks requeued", (RUN / "logs" / "worker1.log").read_text())
    lost = f"its supervisor: {requeued[-1]}" if requeued else "no requeue logged"
    check(not tasks["READY"] and not tasks["RUNNING"], f"tasks left undone: {dict(tasks)}")
    check(tasks["FAILED"] == failed_before, f"tasks failed: {tasks['FAILED'] - failed_before}")
    retried = sum(n for status, n in load.statuses.items() if status not in (200, 201))
    report(
        f"3. node 1 (gunicorn master + {len(node_pids) - 1} workers) and task worker 1 killed with SIGKILL "
        f"{killed_at:.1f} s into a run of {clients} clients x {per_client} opinions through nginx, node 1 "
        f"restarted 4 s later (the worker by its supervisor after 1 s): {stored}/{clients * per_client} acknowledged, "
        f"each stored exactly once; {retried} attempts failed "
        f"and were retried with their key ({dict((k, v) for k, v in load.statuses.items() if k not in (200, 201))}); "
        f"tasks: {tasks['SUCCESSFUL']} done, 0 waiting, 0 failed ({lost}); {elapsed:.1f} s in all"
    )


# 4. PostgreSQL and Redis restarted ---------------------------------------------------------------------------------


def restart_under_load(world: World, clients: int, per_client: int, what: str) -> None:
    load = Load(world, clients, per_client, f"restart-{what}")
    # A logged-in staff member keeps reading a page meanwhile (the session lives in Redis).
    staff, pages, done = login(PROXY), Counter(), threading.Event()

    def browse():
        while not done.is_set():
            try:
                page = staff.get(f"{PROXY}/staff/opinions/", allow_redirects=False, timeout=20)
                pages[page.status_code] += 1
            except requests.RequestException as exc:
                pages[type(exc).__name__] += 1
            time.sleep(0.2)

    browser = threading.Thread(target=browse, daemon=True)
    started = time.monotonic()
    load.start()
    browser.start()
    time.sleep(1.5)
    restart_began = time.monotonic()
    subprocess.run([SCRIPT, f"restart-{what}"], check=True, capture_output=True)
    restart_took = time.monotonic() - restart_began
    load.join()
    done.set()
    browser.join()
    stored = load.verify()
    tasks = wait_tasks()  # the workers are back (their supervisor restarts a db_worker the outage stopped)
    check(not tasks["READY"] and not tasks["RUNNING"], f"after the restart, tasks left undone: {dict(tasks)}")
    check(set(pages) <= {200, 503}, f"the staff page answered {dict(pages)} (302: logged out)")
    after = staff.get(f"{PROXY}/staff/opinions/", allow_redirects=False, timeout=20)
    check(after.status_code == 200, f"the staff member lost the session: {after.status_code}")
    failures = {k: v for k, v in load.statuses.items() if k not in (200, 201)}
    if load.first_failure:
        window = f"failures for {load.last_failure - load.first_failure:.1f} s"
    else:
        window = "no request failed"
    names = {"primary": "PostgreSQL primary (pg_ctl restart -m fast)", "redis": "Redis (stopped and started again)"}
    report(
        f"4. {names[what]} restarted under {clients} clients x {per_client} opinions through nginx "
        f"(restart took {restart_took:.1f} s): {stored}/{clients * per_client} acknowledged and stored exactly once; "
        f"{window}, answers meanwhile {failures or '-'} (every 503 in the JSON error shape with Retry-After); "
        f"a logged-in staff page meanwhile: {dict(pages)}, still logged in afterwards; every task done afterwards; "
        f"{time.monotonic() - started:.1f} s in all"
    )


# 5. The dashboard from the replica ---------------------------------------------------------------------------------


def login(base: str) -> requests.Session:
    session = requests.Session()
    session.headers["X-Forwarded-For"] = client_ip()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "suzhou",
            "password": os.environ.get("DEMO_PASSWORD", "Demo-2026!"),
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    check(answer.status_code == 302, f"login answered {answer.status_code}")
    return session


def replica_transactions() -> int:
    return sql(REPLICA, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'renda'")[0][0]


def log_says_replica(request_id: str) -> bool:
    for log in sorted((RUN / "logs").glob("node*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if request_id in line and "reads from the replica" in line:
                return True
    return False


def read_dashboard(session: requests.Session, base: str, label: str) -> tuple[str, float]:
    """The statistics page through `base` under a fresh request id: (that id, the answer's ms)."""
    request_id = f"e2e-{label}-{uuid.uuid4().hex[:12]}"
    started = time.monotonic()
    page = session.get(f"{base}/staff/opinions/stats/", headers={"X-Request-ID": request_id}, timeout=30)
    took = (time.monotonic() - started) * 1000
    check(page.status_code == 200, f"the dashboard answered {page.status_code} ({label})")
    return request_id, took


def read_from_replica(request_id: str) -> bool:
    """Whether the node logged that the request read from the replica (the line is written after the answer)."""
    time.sleep(0.5)
    return log_says_replica(request_id)


def wait_until(condition, seconds: float) -> bool:
    """Whether `condition()` came true within `seconds` (asked every 0.2 s)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def streaming() -> bool:
    """The replica streams from the primary and has replayed all it received."""
    state = sql(PRIMARY, "SELECT state FROM pg_stat_replication")
    caught_up = sql(REPLICA, "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")[0][0]
    return bool(state) and state[0][0] == "streaming" and bool(caught_up)


def dashboard_from_replica() -> None:
    base = NODES[1]
    session = login(base)
    check("renda_primary" in session.cookies, "a login (a POST) did not pin the user's reads to the primary")
    pinned_id, _took = read_dashboard(session, base, "pinned")
    check(not read_from_replica(pinned_id), "a user who just wrote read the dashboard from the replica")
    session.cookies.clear(domain="127.0.0.1", path="/", name="renda_primary")  # as when DB_REPLICA_PIN_SECONDS ended
    before = replica_transactions()
    replica_id, took = read_dashboard(session, base, "replica")
    after = replica_transactions()
    check(read_from_replica(replica_id), "no log line says the dashboard read from the replica")
    check(after - before > 1, "the replica's transaction count did not move")
    lag = sql(PRIMARY, "SELECT application_name, state, coalesce(replay_lag, '0'::interval) FROM pg_stat_replication")
    check(lag and lag[0][1] == "streaming", f"the replica is not streaming: {lag}")
    report(
        f"5. replica: /staff/opinions/stats/ on node 2 right after the login (a POST: pinned, cookie "
        f"renda_primary) read from the primary; once the pin ended it read from the replica: the node logged "
        f"'opinions:stats reads from the replica' for request {replica_id}, the replica's pg_stat_database counted "
        f"{after - before - 1} more transactions for it ({took:.0f} ms); pg_stat_replication: {lag[0][1]}, "
        f"replay lag {lag[0][2]}"
    )


def replica_cut_off(world: World) -> None:
    """The replica's WAL receiver is stopped (as when the network to the primary is gone) and the primary writes: once
    the replica's last transaction is older than DB_REPLICA_MAX_LAG_SECONDS, the dashboard reads from the primary;
    streaming again, from the replica."""
    base = NODES[1]
    session = login(base)
    session.cookies.clear(domain="127.0.0.1", path="/", name="renda_primary")
    env = app_env()
    limit = float(env.get("DB_REPLICA_MAX_LAG_SECONDS", "5"))
    interval = float(env.get("DB_REPLICA_LAG_CHECK_SECONDS", "2"))
    conninfo = sql(REPLICA, "SHOW primary_conninfo")[0][0]
    started = time.monotonic()
    run_sql(REPLICA, "ALTER SYSTEM SET primary_conninfo = ''")
    try:
        sql(REPLICA, "SELECT pg_reload_conf()")
        stopped = wait_until(lambda: not sql(PRIMARY, "SELECT count(*) FROM pg_stat_replication")[0][0], 15)
        check(stopped, "the replica did not stop streaming")
        answer = submit(NODES[0], world, str(uuid.uuid4()), client_ip(), f"断开副本后的意见 {uuid.uuid4().hex[:8]}")
        check(answer.status_code == 201, f"a submission while the replica was cut off answered {answer.status_code}")
        time.sleep(limit + interval + 1)  # the replica's last transaction is now older than the limit
        cut_id, _took = read_dashboard(session, base, "cut")
        check(not read_from_replica(cut_id), "the dashboard read from a replica cut off from the primary")
    finally:
        run_sql(REPLICA, SQL("ALTER SYSTEM SET primary_conninfo = {}").format(Literal(conninfo)))
        sql(REPLICA, "SELECT pg_reload_conf()")
    check(wait_until(streaming, 30), "the replica did not stream again")
    time.sleep(interval + 0.5)  # the nodes' last measurement (behind) expires
    back_id, _took = read_dashboard(session, base, "back")
    check(read_from_replica(back_id), "the dashboard did not read from the replica again")
    report(
        f"5b. replica cut off (its WAL receiver stopped by primary_conninfo = '', the primary written to): after "
        f"{limit + interval + 1:.0f} s the dashboard on node 2 read from the primary (request {cut_id}); streaming "
        f"again, from the replica (request {back_id}); {time.monotonic() - started:.1f} s in all"
    )


# 6. A photo across the nodes ---------------------------------------------------------------------------------------


def photo_across_nodes(world: World) -> None:
    station = world.stations[0]
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = client_ip()
    form_url = f"{NODES[0]}/s/{station}/opinion/"
    page = browser.get(form_url, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    client_token = re.search(r'name="client_token" value="([^"]+)"', page.text).group(1)
    image = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 30, 30)).save(image, "JPEG")
    answer = browser.post(
        form_url,
        data={
            "csrfmiddlewaretoken": token,
            "client_token": client_token,
            "category": world.category,
            "text": "e2e 照片跨节点：路灯不亮了",
        },
        files={"photos": ("lamp.jpg", image.getvalue(), "image/jpeg")},
        headers={"Referer": form_url},
        allow_redirects=False,
        timeout=30,
    )
    check(answer.status_code == 302, f"the form answered {answer.status_code}: {answer.text[:300]}")
    tracking = answer.headers["Location"].split("?")[0]
    code = tracking.rstrip("/").split("/")[-1]
    page = requests.get(f"{NODES[1]}{tracking}", headers={"X-Forwarded-For": client_ip()}, timeout=30)
    check(page.status_code == 200, f"node 2's tracking page answered {page.status_code}")
    match = re.search(rf"/t/{code}/photos/(\d+)/", page.text)
    check(match is not None, "node 2's tracking page shows no photo")
    # Node 2 checks the code and names the file for nginx (MEDIA_ACCEL_REDIRECT) ...
    checked = requests.get(f"{NODES[1]}{match.group(0)}", headers={"X-Forwarded-For": client_ip()}, timeout=30)
    accel = checked.headers.get("X-Accel-Redirect", "")
    check(checked.status_code == 200 and accel.startswith("/protected-media/"), "node 2 did not hand the photo over")
    stored = sql(PRIMARY, "SELECT image FROM opinions_photo WHERE id = %s", (int(match.group(1)),))[0][0]
    check(accel == f"/protected-media/{stored}", f"node 2 named another file: {accel}")
    check((RUN / "media" / stored).exists(), "the photo is not in the shared media directory")
    # ... and through nginx the picture itself, after either node's check.
    served_by = set()
    for _attempt in range(6):
        photo = requests.get(f"{PROXY}{match.group(0)}", headers={"X-Forwarded-For": client_ip()}, timeout=30)
        check(photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg", "nginx did not send it")
        check(Image.open(io.BytesIO(photo.content)).size == (320, 240), "a different picture came back")
        served_by.add(photo.headers.get("X-Upstream", "?"))
        if len(served_by) == len(NODES):
            break
    report(
        f"6. photo: uploaded with the web form through node 1 ({NODES[0]}), shown on node 2's tracking page; node 2 "
        f"checked the code and answered X-Accel-Redirect: {accel}, and nginx sent the picture ({len(photo.content)} "
        f"bytes, image/jpeg, 320x240) from the shared MEDIA_ROOT after the check of {', '.join(sorted(served_by))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opinions", type=int, default=40, help="opinions of check 1")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of checks 3 and 4")
    parser.add_argument("--per-client", type=int, default=15, help="opinions per client in checks 3 and 4")
    args = parser.parse_args()
    check((RUN / "app.env").exists(), f"no cluster in {RUN}: run `make cluster` first")
    world = World()
    started = time.monotonic()
    before = opinion_count()
    cross_nodes(world, args.opinions)
    rate_limit(world)
    kill_node_and_worker(world, args.clients, args.per_client)
    restart_under_load(world, args.clients, args.per_client, "primary")
    restart_under_load(world, args.clients, args.per_client, "redis")
    dashboard_from_replica()
    replica_cut_off(world)
    photo_across_nodes(world)
    report(f"OK: 7 checks passed in {time.monotonic() - started:.0f} s ({opinion_count() - before} opinions written)")
    print(json.dumps(RESULTS, ensure_ascii=False, indent=1) if os.environ.get("E2E_JSON") else "", end="")


if __name__ == "__main__":
    main()

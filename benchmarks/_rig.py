"""The end-to-end rig shared by the slow pipeline tests and the pipeline benchmarks.

Starts the Amazon sandbox (demo scenario) and the SEFAZ sandbox in this process on free loopback ports,
adds orders for the demo sellers through the Amazon control API, runs real `manage.py qcluster`
subprocesses against a PostgreSQL database (ORM broker, or Redis with REDIS_URL), finds their worker
processes (to kill -9 them by pid), and checks the invariants of reliability.md §6 at the end.
Functions that read the database need Django set up by the caller (pytest-django or `setup_django`).
"""

import copy
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DEMO_SCENARIO = ROOT / "sandboxes/amazon/scenarios/demo.json"
SELLER_SP, SELLER_MG = "A1SIMPLESSPDEMO", "A2NORMALMGDEMO"
# Orders of the demo scenario whose data is complete (the others are blocked by pre-flight on purpose).
TEMPLATES = {SELLER_SP: "702-4100001-5300007", SELLER_MG: "702-4100006-5300042"}
NON_TERMINAL = ["signed", "sending", "processing", "unknown"]


def pg_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/onsite")
    return base.rsplit("/", 1)[0] + "/" + name


# --- sandboxes ---------------------------------------------------------------------------------------------

@dataclass
class Sandboxes:
    amazon: object
    sefaz: object
    sqs: object  # moto's ThreadedMotoServer: Amazon publishes ORDER_CHANGE and shipment notifications there
    queue_url: str

    def settings(self, *, sefaz_timeout: float = 3.0) -> dict:
        """Our settings pointed at the sandboxes (names as in config/settings.py)."""
        creds = self.amazon.credentials()
        return {
            "LWA_TOKEN_URL": creds["lwa_token_url"], "SP_API_BASE_URL": creds["sp_api_base_url"],
            "LWA_CLIENT_ID": creds["client_id"], "LWA_CLIENT_SECRET": creds["client_secret"],
            "SEFAZ_BASE_URL_OVERRIDE": self.sefaz.url, "SEFAZ_TIMEOUT": sefaz_timeout,
            "SQS_QUEUE_URL": self.queue_url,
            "SQS_ENDPOINT_URL": self.queue_url.rsplit("/", 2)[0],
        }

    def stop(self) -> None:
        self.amazon.stop()
        self.sefaz.stop()
        self.sqs.stop()


def start_sandboxes(workdir: Path, *, rate_scale: float = 1000, invoice_delay: float = 0.2) -> Sandboxes:
    from sandboxes.amazon.server import start_sandbox as start_amazon
    from sandboxes.sefaz.server import start_sandbox as start_sefaz

    workdir.mkdir(parents=True, exist_ok=True)
    sqs, queue_url = start_sqs()
    amazon = start_amazon(None, workdir / "amazon.sqlite3", rate_scale=rate_scale, invoice_delay=invoice_delay,
                          publish_on_start=False, sqs_endpoint=queue_url.rsplit("/", 2)[0], sqs_queue_url=queue_url)
    return Sandboxes(amazon, start_sefaz(str(workdir / "sefaz.sqlite3")), sqs, queue_url)


def start_sqs():
    """moto's SQS on a free port with the notifications queue (credentials are moto's dummies)."""
    import boto3
    from moto.server import ThreadedMotoServer

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access line per SQS call otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = boto3.client("sqs", endpoint_url=f"http://{host}:{port}", region_name="us-east-1")
    return server, client.create_queue(QueueName="onsite-notifications")["QueueUrl"]


def control(url: str, method: str, path: str, body: dict | None = None) -> dict | list:
    response = requests.request(method, f"{url}/_sandbox/{path}", json=body, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else {}


def new_order(spid: str, n: int) -> tuple[dict, dict]:
    """A copy of the seller's complete demo order and its FBA Onsite shipment, under fresh ids."""
    demo = json.loads(DEMO_SCENARIO.read_text())
    entry = next(o for o in demo["orders"] if o["order"]["orderId"] == TEMPLATES[spid])
    shipment = copy.deepcopy(next(s["shipment"] for s in demo["shipments"]
                                  if s["shipment"]["AmazonOrderId"] == TEMPLATES[spid]))
    order = copy.deepcopy(entry["order"])
    order_id = f"70{6 if spid == SELLER_SP else 7}-{n // 10_000_000:07d}-{n % 10_000_000:07d}"
    order.update(orderId=order_id, createdTime="now-5m")
    for i, item in enumerate(order["orderItems"]):
        item["orderItemId"] = f"{n:012d}{i:02d}"
    for i, item in enumerate(shipment["ShipmentItems"]):
        item["OrderItemId"] = f"{n:012d}{i:02d}"
    shipment.update(AmazonOrderId=order_id, AmazonShipmentId=f"T{n:09d}{spid[:4]}", PurchaseDate="now-5m")
    return order, shipment


def add_orders(amazon_url: str, count: int, *, start: int = 1, spids=(SELLER_SP, SELLER_MG)) -> list[str]:
    """Put `count` new shipped orders at Amazon, alternating between the demo sellers; returns their ids.

    The sandbox publishes ORDER_CHANGE and the shipment's Created notification for each one.
    """
    ids = []
    for n in range(start, start + count):
        spid = spids[n % len(spids)]
        order, shipment = new_order(spid, n)
        control(amazon_url, "POST", "orders", {"sellingPartnerId": spid, "order": order, "shipment": shipment})
        ids.append(order["orderId"])
    return ids


# --- qcluster subprocesses ---------------------------------------------------------------------------------

def worker_env(database_url: str, sandboxes: Sandboxes, *, redis_url: str = "", **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update({k: str(v) for k, v in sandboxes.settings().items()})
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings", Q_SYNC="0",
               Q_TIMEOUT="30", Q_RETRY="45", CONN_MAX_AGE="0")
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


@dataclass
class Cluster:
    process: subprocess.Popen
    log_path: Path
    helpers: set = field(default_factory=set)  # monitor and pusher pids (never the target of a worker kill)

    def workers(self) -> list[int]:
        sentinels = children(self.process.pid)
        pids = [pid for s in sentinels for pid in children(s)]
        return [pid for pid in pids if pid not in self.helpers]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_qcluster(env: dict, log_path: Path, *, workers: int = 2) -> Cluster:
    """A real `manage.py qcluster` in its own process group; waits until its worker pool is up."""
    log = open(log_path, "ab")
    process = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    cluster = Cluster(process, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = [pid for s in children(process.pid) for pid in children(s)]
        if len(pids) >= workers + 2:  # workers are spawned first, then the monitor and the pusher
            cluster.helpers = set(sorted(pids, key=_start_time)[workers:])
            return cluster
        if process.poll() is not None:
            break
        time.sleep(0.2)
    cluster.stop()
    raise RuntimeError(f"qcluster did not start; see {log_path}")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _start_time(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except OSError:
        return 0


def kill_a_worker(cluster: Cluster) -> int | None:
    """kill -9 one worker of the cluster, by pid (the cluster reincarnates it; the ORM broker redelivers)."""
    workers = cluster.workers()
    if not workers:
        return None
    os.kill(workers[0], signal.SIGKILL)
    return workers[0]


def manage(env: dict, *args: str, timeout: float = 120) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


# --- driving and checking (Django set up) ------------------------------------------------------------------

def consume_notifications() -> None:
    """What the notification schedule does, once, here: store the orders announced (and start their clocks)."""
    from integration.notifications import consume_notifications as consume

    while consume(max_messages=100).received:
        pass


def accepted_count(order_ids: list[str]) -> int:
    from fiscal.models import Invoice

    return Invoice.objects.filter(order__amazon_order_id__in=order_ids, amazon_status="accepted").count()


def wait_until_accepted(order_ids: list[str], *, timeout: float, nudge=None, every: float = 3.0,
                        quiet: bool = False) -> float:
    """Poll the DB until every order is accepted at Amazon (and, with `quiet`, no invoice is left in flight);
    `nudge()` (e.g. the reconciler) runs every `every` s."""
    start = last = time.monotonic()

    def done() -> bool:
        return accepted_count(order_ids) == len(order_ids) and not (quiet and _stuck())

    while not done() and time.monotonic() - start < timeout:
        time.sleep(0.5)
        if nudge and time.monotonic() - last >= every:
            nudge()
            last = time.monotonic()
    return time.monotonic() - start


def invariants(sandboxes: Sandboxes, spids=(SELLER_SP, SELLER_MG)) -> dict[str, list]:
    """Each entry lists the violations of one invariant (all empty = the run kept every promise)."""
    amazon_orders = _amazon_orders(sandboxes, spids)
    return {
        "orders_lost": _lost(amazon_orders),
        "orders_with_two_authorized": _two_authorized(),
        "duplicate_numbers_or_keys": _duplicates(),
        "unexplained_gaps": _gaps(),
        "sefaz_keys_not_ours": _foreign_sefaz_keys(sandboxes),
        "shipments_accepted_not_once": _amazon_not_once(sandboxes),
        "stuck": _stuck(),
    }


def _amazon_orders(sandboxes: Sandboxes, spids) -> set[tuple[str, str]]:
    rows = sandboxes.amazon.sandbox.store.all("SELECT seller_id, order_id FROM orders")
    return {(row["seller_id"], row["order_id"]) for row in rows if row["seller_id"] in spids}


def _lost(amazon_orders) -> list:
    from orders.models import Order

    ours = set(Order.objects.values_list("seller__amazon_authorization__selling_partner_id", "amazon_order_id"))
    return sorted(amazon_orders - ours)


def _two_authorized() -> list:
    from django.db.models import Count

    from fiscal.models import Invoice

    return list(Invoice.objects.filter(status="authorized").values("order_id").annotate(n=Count("id"))
                .filter(n__gt=1).values_list("order_id", flat=True))


def _duplicates() -> list:
    from django.db.models import Count

    from fiscal.models import Invoice

    numbers = Invoice.objects.values("seller_id", "environment", "series", "number").annotate(n=Count("id")).filter(n__gt=1)
    keys = Invoice.objects.values("access_key").annotate(n=Count("id")).filter(n__gt=1)
    return [dict(row) for row in numbers] + [dict(row) for row in keys]


def _gaps() -> list:
    """Every number below next_number is an invoice (any state: authorized/denied/cancelled/pending) or voided."""
    from fiscal.models import Invoice, InvoiceSeries, NumberVoid

    gaps = []
    for series in InvoiceSeries.objects.all():
        used = set(Invoice.objects.filter(seller_id=series.seller_id, environment=series.environment,
                                          series=series.series).values_list("number", flat=True))
        for void in NumberVoid.objects.filter(seller_id=series.seller_id, series=series.series):
            used |= set(range(void.first_number, void.last_number + 1))
        gaps += [(series.seller_id, series.series, n) for n in range(1, series.next_number) if n not in used]
    return gaps


def _foreign_sefaz_keys(sandboxes: Sandboxes) -> list:
    from fiscal.models import Invoice

    ledger = control(sandboxes.sefaz.url, "GET", "ledger")
    theirs = {row["chNFe"] for row in ledger["authorizations"]}
    return sorted(theirs - set(Invoice.objects.values_list("access_key", flat=True)))


def _amazon_not_once(sandboxes: Sandboxes) -> list:
    accepted: dict[str, int] = {}
    for row in control(sandboxes.amazon.url, "GET", "invoices")["invoices"]:
        accepted[row["shipment_id"]] = accepted.get(row["shipment_id"], 0) + (row["status"] == "Accepted")
    return sorted(key for key, n in accepted.items() if n != 1)


def _stuck() -> list:
    from fiscal.models import Invoice

    sefaz = Invoice.objects.filter(status__in=NON_TERMINAL)
    amazon = Invoice.objects.filter(status="authorized", needs_cancellation=False).exclude(amazon_status="accepted")
    return sorted(set(sefaz.values_list("order__amazon_order_id", flat=True))
                  | set(amazon.values_list("order__amazon_order_id", flat=True)))


# --- a throwaway database for the benchmark scripts ---------------------------------------------------------

def create_database(name: str) -> str:
    """Drop and create `name` on the server of DATABASE_URL, migrate it; returns its URL."""
    drop_database(name)
    subprocess.run(["psql", pg_url("postgres"), "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    url = pg_url(name)
    manage({**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}, "migrate", "--noinput",
           "-v", "0", timeout=600)
    return url


def drop_database(name: str) -> None:
    subprocess.run(["psql", pg_url("postgres"), "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   check=True)


def setup_django(database_url: str, sandboxes: Sandboxes) -> None:
    """This process as the Amazon-side driver: Django on the benchmark database, pointed at the sandboxes."""
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings_test", Q_SYNC="0")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    for name, value in sandboxes.settings().items():
        setattr(settings, name, value)


def seed_demo() -> None:
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def reconcile_in(env: dict) -> None:
    manage(env, "shell", "-c", "from orders.reconciler import reconcile; reconcile()")


def latencies(order_ids: list[str]) -> list[float]:
    from fiscal.models import Invoice

    invoices = Invoice.objects.filter(order__amazon_order_id__in=order_ids, amazon_status="accepted").select_related("order")
    return sorted(i.seconds_to_accepted for i in invoices if i.seconds_to_accepted is not None)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(pct / 100 * len(values) + 0.5) - 1))
    return values[index]

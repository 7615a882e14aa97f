"""Real `manage.py qcluster` processes on the test database: the pipeline through crashes and outages.

The test process plays Amazon's side (new orders at the sandbox, their notifications consumed) and the
reconcile schedule (a `manage.py shell` with the cluster's broker settings, every few seconds); the clusters do
the rest. Each test ends with the invariants of reliability.md §6 checked by `_rig.invariants`.
A PostgreSQL outage is tested twice: by terminating every connection of our test database
(pg_terminate_backend) while work is in flight, and by a real fast restart of the server (CI owns the machine).
"""

import os
import shutil
import subprocess
import time

import pytest
from django.db import connection, connections

from benchmarks import _rig

from .conftest import no_violations

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
RECONCILE = "from orders.reconciler import reconcile; print(reconcile())"
REDIS_DB = 13


@pytest.fixture
def clusters(rig, demo, tmp_path):
    """Start qclusters with `start(n, redis_url=...)`; stopped (by pid) at the end."""
    started = []
    database_url = _rig.pg_url(connection.settings_dict["NAME"])

    def start(count: int = 1, *, redis_url: str = "") -> dict:
        env = _rig.worker_env(database_url, rig, redis_url=redis_url)
        for i in range(count):
            started.append(_rig.start_qcluster(env, tmp_path / f"qcluster-{len(started)}-{i}.log"))
        return env

    yield start, started
    for cluster in started:
        cluster.stop()


def nudger(env: dict):
    def nudge():
        _rig.manage(env, "shell", "-c", RECONCILE)
    return nudge


def push_orders(rig, env: dict, count: int) -> list[str]:
    from .conftest import receive_notifications

    ids = _rig.add_orders(rig.amazon.url, count)
    receive_notifications()
    nudger(env)()
    return ids


def assert_all_accepted_once(rig, ids: list[str], env: dict, *, timeout: float) -> None:
    _rig.wait_until_accepted(ids, timeout=timeout, nudge=nudger(env), every=3, quiet=True)
    assert _rig.accepted_count(ids) == len(ids)
    assert no_violations(rig) == {}


def test_orders_at_amazon_become_as_many_accepted_invoices_through_a_qcluster(rig, clusters):
    start, _ = clusters
    env = start(1)
    ids = push_orders(rig, env, 8)
    assert_all_accepted_once(rig, ids, env, timeout=60)


def test_a_worker_killed_mid_way_delays_invoices_but_each_is_issued_exactly_once(rig, clusters):
    start, started = clusters
    env = start(1)
    ids = push_orders(rig, env, 10)
    _rig.wait_until_accepted(ids[:2], timeout=30)
    killed = _rig.kill_a_worker(started[0])
    assert killed is not None
    assert_all_accepted_once(rig, ids, env, timeout=100)


def test_sefaz_accepting_then_hanging_under_a_qcluster_ends_with_one_authorization_each(rig, clusters):
    start, _ = clusters
    env = start(1)
    _rig.control(rig.sefaz.url, "POST", "faults", {"mode": "accept_then_hang", "count": 2, "service": "*"})
    ids = push_orders(rig, env, 4)
    assert_all_accepted_once(rig, ids, env, timeout=60)


def test_database_connections_cut_twice_mid_way_lose_and_duplicate_nothing(rig, clusters):
    start, _ = clusters
    env = start(1)
    ids = push_orders(rig, env, 8)
    for _cut in range(2):
        time.sleep(2)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    # A task lost with its connection comes back through the reconciler after QUEUE_LOST_AFTER (90 s).
    assert_all_accepted_once(rig, ids, env, timeout=200)


def test_two_qclusters_on_the_orm_broker_emit_no_invoice_twice(rig, clusters):
    start, _ = clusters
    env = start(2)
    ids = push_orders(rig, env, 10)
    assert_all_accepted_once(rig, ids, env, timeout=60)


def test_two_qclusters_on_redis_emit_no_invoice_twice(rig, clusters):
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True)
    start, _ = clusters
    env = start(2, redis_url=f"redis://127.0.0.1:6379/{REDIS_DB}")
    ids = push_orders(rig, env, 10)
    assert_all_accepted_once(rig, ids, env, timeout=60)


def _restart_postgresql() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
                   check=True, timeout=120, capture_output=True)
    for _ in range(60):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError("PostgreSQL did not come back after the restart")


@pytest.mark.skipif(not shutil.which("pg_ctlcluster") or os.geteuid() != 0 or not os.path.isdir("/etc/postgresql"),
                    reason="restarts the machine's own PostgreSQL (root and pg_ctlcluster, as on CI)")
def test_a_postgresql_restart_mid_way_loses_and_duplicates_nothing(rig, clusters):
    start, _ = clusters
    env = start(1)
    ids = push_orders(rig, env, 8)
    time.sleep(2)
    _restart_postgresql()  # every connection dies: the cluster's, the sandboxes' callers', ours
    connections.close_all()
    assert_all_accepted_once(rig, ids, env, timeout=200)

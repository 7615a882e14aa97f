"""Hold a steady load through both sandboxes and a real qcluster while injecting faults; print the invariants.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onsite .venv/bin/python benchmarks/soak.py [--minutes 5] [--rate 1]

`--rate` new orders per second for `--minutes`; every 15-40 s one fault at random, by recorded pid or through
the sandboxes' control APIs only (loopback): kill -9 a qcluster worker, SEFAZ accept-then-hang for 20 s,
a 429 storm at Amazon, a burst of 5xx. Then it drains (up to --drain seconds) and prints orders lost,
duplicates, gaps, stuck jobs. Creates and drops its own database `onsite_soak`.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _rig  # noqa: E402

DB = "onsite_soak"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--rate", type=float, default=1)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--drain", type=float, default=240)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    random.seed(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="pipeline-soak-"))
    url = _rig.create_database(DB)
    sandboxes = _rig.start_sandboxes(workdir)
    cluster = None
    try:
        _rig.setup_django(url, sandboxes)
        _rig.seed_demo()
        env = _rig.worker_env(url, sandboxes, Q_WORKERS=args.workers)
        cluster = _rig.start_qcluster(env, workdir / "qcluster.log", workers=args.workers)
        ids, faults = load(args, sandboxes, env, cluster)
        drained = drain(ids, env, args.drain)
        report(ids, faults, drained, _rig.invariants(sandboxes))
    finally:
        if cluster:
            cluster.stop()
        sandboxes.stop()
        from django.db import connections

        connections.close_all()
        _rig.drop_database(DB)


def load(args, sandboxes, env, cluster) -> tuple[list[str], list[str]]:
    ids, faults, end = [], [], time.monotonic() + args.minutes * 60
    next_fault, next_nudge, hang_until = time.monotonic() + random.uniform(15, 40), 0.0, 0.0
    while time.monotonic() < end:
        tick = time.monotonic()
        ids += _rig.add_orders(sandboxes.amazon.url, max(1, round(args.rate)), start=len(ids) + 1)
        if hang_until and tick > hang_until:
            _rig.control(sandboxes.sefaz.url, "POST", "faults/clear")
            hang_until = 0.0
        if tick > next_fault:
            name, hang = inject(sandboxes, cluster)
            faults.append(name)
            hang_until = hang_until or hang
            next_fault = tick + random.uniform(15, 40)
        if tick > next_nudge:
            _rig.consume_notifications()
            _rig.reconcile_in(env)
            next_nudge = time.monotonic() + 5
        time.sleep(max(0.0, 1 / max(args.rate, 1) - (time.monotonic() - tick)))
    _rig.control(sandboxes.sefaz.url, "POST", "faults/clear")
    return ids, faults


def inject(sandboxes, cluster) -> tuple[str, float]:
    kind = random.choice(["kill_worker", "sefaz_hang", "amazon_429", "amazon_5xx"])
    if kind == "kill_worker":
        return f"kill -9 worker {_rig.kill_a_worker(cluster)}", 0.0
    if kind == "sefaz_hang":
        _rig.control(sandboxes.sefaz.url, "POST", "faults", {"mode": "accept_then_hang", "count": None, "service": "*"})
        return "sefaz accept_then_hang 20 s", time.monotonic() + 20
    status, count = (429, 40) if kind == "amazon_429" else (random.choice([500, 503]), 10)
    _rig.control(sandboxes.amazon.url, "POST", "faults", {"operation": "*", "status": status, "count": count})
    return f"amazon {status} x{count}", 0.0


def drain(ids, env, seconds: float) -> float:
    def nudge():
        _rig.consume_notifications()
        _rig.reconcile_in(env)

    return _rig.wait_until_accepted(ids, timeout=seconds, nudge=nudge, every=5, quiet=True)


def report(ids, faults, drained, found) -> None:
    values = _rig.latencies(ids)
    print(f"orders put at Amazon: {len(ids)}  accepted: {len(values)}  faults injected: {len(faults)}")
    for fault in faults:
        print(f"  - {fault}")
    print(f"drain after the load: {drained:.0f} s; shipment -> Accepted p50 {_rig.percentile(values, 50):.1f} s"
          f"  p95 {_rig.percentile(values, 95):.1f} s  max {max(values, default=float('nan')):.1f} s")
    labels = {"orders_lost": "orders lost", "orders_with_two_authorized": "orders with two authorized NF-e",
              "duplicate_numbers_or_keys": "duplicate numbers/keys", "unexplained_gaps": "unexplained gaps",
              "sefaz_keys_not_ours": "SEFAZ keys not ours", "shipments_accepted_not_once": "shipments not accepted once",
              "stuck": "stuck jobs"}
    for name, rows in found.items():
        print(f"{labels[name]}: {len(rows)}" + (f"  {rows[:10]}" if rows else ""))


if __name__ == "__main__":
    main()

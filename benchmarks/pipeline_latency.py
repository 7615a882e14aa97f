"""Push N orders (default 200) through both sandboxes with a real qcluster; print shipment→Accepted p50/p95 and
invoices per minute.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/onsite .venv/bin/python benchmarks/pipeline_latency.py [--orders 200]

Creates (and drops) its own database `onsite_bench`; ORM broker on it. Orders are put at the Amazon sandbox
through its control API, which publishes ORDER_CHANGE and the shipment's Created notification to a local SQS
(moto); this process consumes them as the notification schedule would (the shipment notification starts the
clock) and runs the reconciler every --reconcile-every seconds (the real schedule: every minute).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _rig  # noqa: E402

DB = "onsite_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--reconcile-every", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    url = _rig.create_database(DB)
    sandboxes = _rig.start_sandboxes(workdir)
    cluster = None
    try:
        _rig.setup_django(url, sandboxes)
        _rig.seed_demo()
        env = _rig.worker_env(url, sandboxes, Q_WORKERS=args.workers)
        cluster = _rig.start_qcluster(env, workdir / "qcluster.log", workers=args.workers)
        report(*run(args, sandboxes, env), args)
    finally:
        if cluster:
            cluster.stop()
        sandboxes.stop()
        from django.db import connections

        connections.close_all()
        _rig.drop_database(DB)


def run(args, sandboxes, env):
    started = time.monotonic()
    ids = _rig.add_orders(sandboxes.amazon.url, args.orders)

    def nudge():
        _rig.consume_notifications()
        _rig.reconcile_in(env)

    nudge()
    elapsed = _rig.wait_until_accepted(ids, timeout=args.timeout, nudge=nudge, every=args.reconcile_every)
    wall = time.monotonic() - started
    _rig.wait_until_accepted(ids, timeout=120, nudge=nudge, every=args.reconcile_every, quiet=True)
    return ids, wall, elapsed, _rig.invariants(sandboxes)


def report(ids, wall, elapsed, found, args) -> None:
    values = _rig.latencies(ids)
    print(f"orders: {len(ids)}  accepted: {len(values)}  workers: {args.workers}  reconcile every {args.reconcile_every}s")
    print(f"shipment -> Accepted: p50 {_rig.percentile(values, 50):.1f} s  p95 {_rig.percentile(values, 95):.1f} s"
          f"  max {max(values, default=float('nan')):.1f} s")
    print(f"throughput: {len(values) / (wall / 60):.1f} invoices/min ({wall:.0f} s from the first order to the last Accepted)")
    print("invariants: " + ", ".join(f"{name}={len(rows)}" for name, rows in found.items()))


if __name__ == "__main__":
    main()

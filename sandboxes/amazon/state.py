"""SQLite store of the scenario and of every mutation the clients and tests make.

One connection guarded by a lock: the server is threaded, the data is tiny, and a single
writer keeps the sandbox's answers deterministic.
"""

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sellers (seller_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY, seller_id TEXT NOT NULL, created_time TEXT NOT NULL,
    updated_time TEXT NOT NULL, body TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS shipments (
    shipment_id TEXT PRIMARY KEY, seller_id TEXT NOT NULL, order_id TEXT NOT NULL,
    status TEXT NOT NULL, body TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, kind TEXT NOT NULL, seller_id TEXT, issued_at REAL NOT NULL,
    expires_at REAL, revoked INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT, shipment_id TEXT NOT NULL, order_id TEXT NOT NULL,
    seller_id TEXT NOT NULL, api TEXT NOT NULL, md5 TEXT NOT NULL, size INTEGER NOT NULL,
    access_key TEXT, submitted_at REAL NOT NULL, status TEXT NOT NULL, reason TEXT,
    forced_reason TEXT, xml BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL, status INTEGER,
    delay REAL NOT NULL DEFAULT 0, remaining INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pages (token TEXT PRIMARY KEY, created_at REAL NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, notification_id TEXT NOT NULL, type TEXT NOT NULL,
    body TEXT NOT NULL, published_at REAL NOT NULL, delivered INTEGER NOT NULL);
"""
TABLES = ("meta", "sellers", "orders", "shipments", "tokens", "invoices", "faults", "pages", "notifications")
JSON_COLUMNS = {"body", "extra", "data", "value"}


class Store:
    def __init__(self, path: str):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # e.g. var/ in Procfile.demo
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0  # transactions nest: seeding wraps wipe() and many inserts in one
        # a sandbox can lose its last write on power loss; it must not fsync on every insert
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.executescript(SCHEMA)

    @contextmanager
    def transaction(self):
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                self._db.execute("COMMIT")

    def execute(self, sql: str, *args) -> sqlite3.Cursor:
        encoded = [json.dumps(a) if isinstance(a, (dict, list)) else a for a in args]
        with self._lock:
            return self._db.execute(sql, encoded)

    def all(self, sql: str, *args) -> list[dict]:
        return [_decode(row) for row in self.execute(sql, *args).fetchall()]

    def one(self, sql: str, *args) -> dict | None:
        rows = self.all(sql, *args)
        return rows[0] if rows else None

    def wipe(self) -> None:
        with self.transaction():
            for table in TABLES:
                self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def get_meta(self, key: str, default=None):
        row = self.one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else default

    def set_meta(self, key: str, value) -> None:
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, json.dumps(value))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _decode(row: sqlite3.Row) -> dict:
    return {k: (json.loads(row[k]) if k in JSON_COLUMNS and row[k] is not None else row[k]) for k in row.keys()}


def now() -> float:
    return time.time()

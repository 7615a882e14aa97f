"""What the sandbox authorized, cancelled and voided, kept in SQLite so it survives a restart."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS nfe (
    chNFe TEXT PRIMARY KEY, CNPJ TEXT NOT NULL, mod TEXT NOT NULL, serie INTEGER NOT NULL, nNF INTEGER NOT NULL,
    nProt TEXT NOT NULL, nRec TEXT NOT NULL, digVal TEXT NOT NULL, dhRecbto TEXT NOT NULL, authorized_at REAL NOT NULL,
    UNIQUE (CNPJ, mod, serie, nNF)
);
CREATE TABLE IF NOT EXISTS event (
    chNFe TEXT NOT NULL, tpEvento TEXT NOT NULL, nSeqEvento INTEGER NOT NULL, nProt TEXT NOT NULL,
    dhRegEvento TEXT NOT NULL, procEventoNFe BLOB NOT NULL, PRIMARY KEY (chNFe, tpEvento, nSeqEvento)
);
CREATE TABLE IF NOT EXISTS voided (
    CNPJ TEXT NOT NULL, mod TEXT NOT NULL, serie INTEGER NOT NULL, nNFIni INTEGER NOT NULL, nNFFin INTEGER NOT NULL,
    nProt TEXT NOT NULL, dhRecbto TEXT NOT NULL, PRIMARY KEY (CNPJ, mod, serie, nNFIni, nNFFin)
);
CREATE TABLE IF NOT EXISTS receipt (nRec TEXT PRIMARY KEY, ready_at REAL NOT NULL, cUF TEXT NOT NULL, protNFe BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Authorized:
    chNFe: str
    CNPJ: str
    mod: str
    serie: int
    nNF: int
    nProt: str
    nRec: str
    digVal: str
    dhRecbto: str
    authorized_at: float


class Ledger:
    """One SQLite file; a lock serializes writers so a check-then-insert is atomic across threads."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.executescript(SCHEMA)

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """One transaction; nested calls join the outer one (the RLock makes the depth per-owner)."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._depth == 1:
                    self._db.execute("ROLLBACK")
                raise
            else:
                if self._depth == 1:
                    self._db.execute("COMMIT")
            finally:
                self._depth -= 1

    def next_number(self, name: str) -> int:
        with self.atomic() as db:
            db.execute("INSERT OR IGNORE INTO counter VALUES (?, 0)", (name,))
            db.execute("UPDATE counter SET value = value + 1 WHERE name = ?", (name,))
            return db.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()[0]

    def by_key(self, chNFe: str) -> Authorized | None:
        row = self._one("SELECT * FROM nfe WHERE chNFe = ?", chNFe)
        return Authorized(**row) if row else None

    def by_number(self, CNPJ: str, mod: str, serie: int, nNF: int) -> Authorized | None:
        row = self._one("SELECT * FROM nfe WHERE CNPJ = ? AND mod = ? AND serie = ? AND nNF = ?", CNPJ, mod, serie, nNF)
        return Authorized(**row) if row else None

    def record_authorization(self, row: Authorized) -> None:
        with self.atomic() as db:
            db.execute("INSERT INTO nfe VALUES (?,?,?,?,?,?,?,?,?,?)", tuple(row.__dict__.values()))

    def events(self, chNFe: str) -> list[sqlite3.Row]:
        return self._all("SELECT * FROM event WHERE chNFe = ? ORDER BY dhRegEvento", chNFe)

    def record_event(self, chNFe: str, tpEvento: str, nSeqEvento: int, nProt: str, dhRegEvento: str, proc: bytes) -> None:
        with self.atomic() as db:
            db.execute("INSERT INTO event VALUES (?,?,?,?,?,?)", (chNFe, tpEvento, nSeqEvento, nProt, dhRegEvento, proc))

    def voided_overlapping(self, CNPJ: str, mod: str, serie: int, first: int, last: int) -> list[sqlite3.Row]:
        return self._all(
            "SELECT * FROM voided WHERE CNPJ = ? AND mod = ? AND serie = ? AND nNFIni <= ? AND nNFFin >= ?",
            CNPJ, mod, serie, last, first,
        )

    def authorized_in_range(self, CNPJ: str, mod: str, serie: int, first: int, last: int) -> list[sqlite3.Row]:
        return self._all(
            "SELECT * FROM nfe WHERE CNPJ = ? AND mod = ? AND serie = ? AND nNF BETWEEN ? AND ?", CNPJ, mod, serie, first, last
        )

    def record_voided(self, CNPJ: str, mod: str, serie: int, first: int, last: int, nProt: str, dhRecbto: str) -> None:
        with self.atomic() as db:
            db.execute("INSERT INTO voided VALUES (?,?,?,?,?,?,?)", (CNPJ, mod, serie, first, last, nProt, dhRecbto))

    def record_receipt(self, nRec: str, ready_at: float, cUF: str, protocols: bytes) -> None:
        with self.atomic() as db:
            db.execute("INSERT INTO receipt VALUES (?,?,?,?)", (nRec, ready_at, cUF, protocols))

    def receipt(self, nRec: str) -> sqlite3.Row | None:
        return self._one("SELECT * FROM receipt WHERE nRec = ?", nRec)

    def listing(self) -> dict[str, list[dict]]:
        """Everything recorded, for GET /_sandbox/ledger."""
        return {
            "authorizations": [dict(r) for r in self._all("SELECT * FROM nfe ORDER BY authorized_at")],
            "events": [{k: r[k] for k in r.keys() if k != "procEventoNFe"} for r in self._all("SELECT * FROM event")],
            "voided": [dict(r) for r in self._all("SELECT * FROM voided")],
        }

    def reset(self) -> None:
        with self.atomic() as db:
            for table in ("nfe", "event", "voided", "receipt", "counter"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, sql: str, *args) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _all(self, sql: str, *args) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

"""The sandbox's state shared by all request threads: ledger, clock, faults and the lookup counter."""

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from .faults import FaultBook
from .ledger import Ledger

BRASILIA = timezone(timedelta(hours=-3))  # SVRS answers in Brasília time (no DST since 2019)


@dataclass
class Context:
    ledger: Ledger
    faults: FaultBook = field(default_factory=FaultBook)
    lookup_limit: int = 20  # identical consSitNFe per key per minute before 656
    receipt_delay: float = 0.0  # seconds before an async lot leaves 105
    clock_offset: float = 0.0  # seconds added to the wall clock (tests move time via /_sandbox/clock)
    stopping: threading.Event = field(default_factory=threading.Event)
    _lookups: dict[str, deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def timestamp(self) -> float:
        return time.time() + self.clock_offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), BRASILIA).replace(microsecond=0)

    def dh(self) -> str:
        """Now as TDateTimeUTC (AAAA-MM-DDThh:mm:ss-03:00)."""
        return self.now().isoformat()

    def too_many_lookups(self, key: str) -> bool:
        """Count this lookup; True when the key was asked more than lookup_limit times in the last minute."""
        now = self.timestamp()
        with self._lock:
            recent = self._lookups.setdefault(key, deque())
            while recent and recent[0] < now - 60:
                recent.popleft()
            recent.append(now)
            return len(recent) > self.lookup_limit

    def reset(self) -> None:
        self.ledger.reset()
        self.faults.clear()
        self.clock_offset = 0.0
        with self._lock:
            self._lookups.clear()

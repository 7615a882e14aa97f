"""Token buckets per (selling partner, operation), with the rate and burst of the model's
usage plan. `scale` speeds refills up for demos and tests (`--rate-scale 100` turns
searchOrders' 0.0056 req/s into 0.56 req/s); burst is never scaled, so the 21st quick
searchOrders call is still throttled exactly as on Amazon.
"""

import threading
import time


class RateLimiter:
    def __init__(self, scale: float = 1.0):
        self.scale = scale
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def rate(self, rate: float) -> float:
        return rate * self.scale

    def take(self, key: tuple[str, str], rate: float, burst: int) -> bool:
        """Spend one token; False when the bucket is empty (answer 429)."""
        with self._lock:
            clock = time.monotonic()
            tokens, last = self._buckets.get(key, (float(burst), clock))
            tokens = min(float(burst), tokens + (clock - last) * self.rate(rate))
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, clock)
            return allowed

    def drain(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._buckets[key] = (0.0, time.monotonic())

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

"""The one rounding rule of the NF-e: Decimal, half-up, 2 places for values and 4 for rates."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(value) -> Decimal:
    return Decimal(value).quantize(RATE, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, percent: Decimal) -> Decimal:
    """`percent`% of `base`, rounded once at the end (never round intermediate products)."""
    return money(Decimal(base) * Decimal(percent) / HUNDRED)


def fmt2(value) -> str:
    return str(money(value))


def fmt4(value) -> str:
    return str(rate(value))


def apportion(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` proportionally to `weights`; the rounding remainder goes to the largest weight.

    The parts always add up to `total` exactly, which is what SEFAZ checks (rules 531-535, 610).
    """
    total = money(total)
    weight_sum = sum(weights, Decimal(0))
    if not weights or total == 0 or weight_sum == 0:
        return [ZERO for _ in weights]
    parts = [money(total * w / weight_sum) for w in weights]
    largest = max(range(len(weights)), key=lambda i: weights[i])
    parts[largest] += total - sum(parts, ZERO)
    return parts

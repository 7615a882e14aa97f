"""Brazilian formats: R$ 1.234,56, dd/mm/aaaa HH:MM in America/Sao_Paulo, CPF/CNPJ/CEP masks, NF-e key groups."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

register = template.Library()
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


@register.filter
def brl(value) -> str:
    """R$ 1.234,56 (half-up to cents, like the NF-e); empty for None."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    integer, cents = f"{abs(amount):.2f}".split(".")
    groups = f"{int(integer):,}".replace(",", ".")
    return f"{sign}R$ {groups},{cents}"


@register.filter
def br_datetime(value) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = value.astimezone(SAO_PAULO)
    return value.strftime("%d/%m/%Y %H:%M")


@register.filter
def br_date(value) -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_aware(value):
        value = value.astimezone(SAO_PAULO)
    return value.strftime("%d/%m/%Y")


@register.filter
def cpf_cnpj(value) -> str:
    """123.456.789-09 or 12.345.678/0001-95 (alphanumeric CNPJ too); anything else unchanged."""
    raw = "".join(ch for ch in str(value or "") if ch.isalnum()).upper()
    if len(raw) == 11 and raw.isdigit():
        return f"{raw[:3]}.{raw[3:6]}.{raw[6:9]}-{raw[9:]}"
    if len(raw) == 14:
        return f"{raw[:2]}.{raw[2:5]}.{raw[5:8]}/{raw[8:12]}-{raw[12:]}"
    return str(value or "")


@register.filter
def cep(value) -> str:
    raw = "".join(ch for ch in str(value or "") if ch.isdigit())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 8 else str(value or "")


@register.filter
def nfe_key(value) -> str:
    """The 44-digit access key in groups of four, as the DANFE prints it."""
    raw = str(value or "")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))

"""How support tools name a seller: its id, its CNPJ (masked or not) or its selling partner id."""

from django.core.management.base import CommandError
from django.db.models import Q

from .documents import only_document_chars
from .models import Seller


def find_seller(key: str) -> Seller:
    """The one seller `key` names; CommandError with what to give otherwise (for management commands)."""
    match = Q(cnpj=only_document_chars(key)) | Q(amazon_authorization__selling_partner_id=key)
    if key.isdigit() and len(key) < 14:  # 14 digits is a CNPJ, never an id
        match |= Q(pk=int(key))
    seller = Seller.objects.filter(match).first()
    if seller is None:
        raise CommandError(f"No seller {key!r}: give its id, CNPJ or selling partner id.")
    return seller

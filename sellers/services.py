"""Onboarding verbs: store a checked certificate, record or renew an Amazon authorization."""

from django.db import transaction
from django.utils import timezone

from .certificates import inspect_pfx
from .encryption import secret
from .models import AmazonAuthorization, Certificate, Seller


def install_certificate(seller: Seller, *, pfx: bytes, password: str) -> Certificate:
    """Check the .pfx (raises CertificateError, nothing stored) and make it the seller's only active one."""
    info = inspect_pfx(pfx, password, expected_cnpj=seller.cnpj)
    with transaction.atomic():
        existing = Certificate.objects.filter(seller=seller, fingerprint_sha256=info.fingerprint_sha256).first()
        Certificate.objects.filter(seller=seller, active=True).update(active=False)
        if existing:
            existing.active = True
            existing.save(update_fields=["active"])
            return existing
        return Certificate.objects.create(
            seller=seller, pfx=secret(pfx), password=secret(password), active=True,
            subject_name=info.subject_name[:255], subject_cnpj=info.subject_cnpj, serial_number=info.serial_number,
            issuer_name=info.issuer_name, not_before=info.not_before, not_after=info.not_after,
            fingerprint_sha256=info.fingerprint_sha256,
        )


def record_authorization(
    seller: Seller, *, selling_partner_id: str, refresh_token: str, authorized_at=None
) -> AmazonAuthorization:
    """First authorization or the yearly renewal: the new refresh token replaces the old and the clock restarts."""
    authorization, _created = AmazonAuthorization.objects.update_or_create(
        seller=seller,
        defaults={
            "selling_partner_id": selling_partner_id,
            "refresh_token": secret(refresh_token),
            "authorized_at": authorized_at or timezone.now(),
            "state": AmazonAuthorization.State.ACTIVE,
            "last_error": "",
        },
    )
    return authorization

"""The one call the issuing service makes inside its numbering transaction: order -> signed, valid NF-e."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .access_key import random_cnf
from .build import access_key_for, build_nfe, serialize
from .errors import NfeBuildError
from .from_order import document_for_order
from .schema import validate_nfe
from .signing import signing_key_for, sign_nfe


@dataclass(frozen=True)
class PreparedNfe:
    xml: bytes  # signed <NFe>, ready for enviNFe
    access_key: str
    digest_value: str
    cnf: str
    issued_at: datetime
    total: Decimal  # vNF


def prepare_signed_nfe(
    order, *, series: int, number: int, environment: int, issued_at: datetime | None = None, cnf: str | None = None,
) -> PreparedNfe:
    """Build, sign with the seller's active certificate and validate. Same (cnf, issued_at) -> same bytes.

    Raises NfeBuildError (missing data or certificate) or NfeSchemaError (a bug: the XML broke the XSD).
    """
    issued_at = (issued_at or timezone.now()).replace(microsecond=0)
    cnf = cnf or random_cnf(number)
    doc = document_for_order(order, series=series, number=number, cnf=cnf, issued_at=issued_at, environment=environment)
    certificate = order.seller.active_certificate
    if certificate is None:
        raise NfeBuildError(
            _("No active A1 certificate for %(seller)s. Upload the company's e-CNPJ certificate in Settings > Certificate.")
            % {"seller": order.seller},
            category="credentials",
        )
    nfe, totals = build_nfe(doc)
    signed = sign_nfe(serialize(nfe), signing_key_for(certificate))
    validate_nfe(signed.xml)
    return PreparedNfe(
        xml=signed.xml, access_key=access_key_for(doc), digest_value=signed.digest_value, cnf=cnf,
        issued_at=issued_at, total=totals.vNF,
    )

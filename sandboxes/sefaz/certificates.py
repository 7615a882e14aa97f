"""The CNPJ and validity of an e-CNPJ certificate (ICP-Brasil layout)."""

import re
from datetime import datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from .codes import Rejection

# ICP-Brasil: otherName 2.16.76.1.3.3 in the SubjectAltName holds the company's CNPJ
CNPJ_OID = x509.ObjectIdentifier("2.16.76.1.3.3")
CNPJ = re.compile(rb"[0-9A-Z]{12}[0-9]{2}")


def cnpj_of(certificate: x509.Certificate) -> str | None:
    """The CNPJ from SAN otherName 2.16.76.1.3.3, else from a subject CN written as NAME:CNPJ."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        for other in san.get_values_for_type(x509.OtherName):
            found = other.type_id == CNPJ_OID and CNPJ.search(other.value)
            if found:
                return found.group().decode()
    except x509.ExtensionNotFound:
        pass
    for attribute in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        _, _, tail = str(attribute.value).rpartition(":")
        if CNPJ.fullmatch(tail.encode()):
            return tail
    return None


def check(certificate: x509.Certificate, *, at: datetime, expired: int, no_cnpj: int) -> str:
    """Raise the given cStat when the certificate is outside its validity or has no CNPJ; return the CNPJ."""
    if not certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc:
        raise Rejection(expired)
    cnpj = cnpj_of(certificate)
    if cnpj is None:
        raise Rejection(no_cnpj)
    return cnpj

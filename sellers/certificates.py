"""Reading and checking an A1 certificate (.pfx/.p12 + password) before it is stored.

ICP-Brasil e-CNPJ certificates carry the CNPJ in the SAN otherName 2.16.76.1.3.3 and usually in the CN as
"NAME:CNPJ"; we read the SAN first and fall back to the CN (ICP-Brasil Res. 211/2024 seals may differ).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _

from .documents import cnpj_root, is_valid_cnpj, only_document_chars

MAX_PFX_BYTES = 50 * 1024  # a real A1 .pfx is 3-10 KB; anything much bigger is not one
CNPJ_OTHERNAME_OID = x509.ObjectIdentifier("2.16.76.1.3.3")


class CertificateError(ValueError):
    """A certificate that cannot be used, with a message the seller can act on."""


@dataclass(frozen=True)
class PfxInfo:
    subject_name: str
    subject_cnpj: str
    serial_number: str
    issuer_name: str
    not_before: datetime
    not_after: datetime
    fingerprint_sha256: str


def load_pfx(data: bytes, password: str):
    """Return (private_key, certificate, chain). Raises CertificateError for a wrong password or damaged file."""
    if not data:
        raise CertificateError(_("The certificate file is empty."))
    if len(data) > MAX_PFX_BYTES:
        raise CertificateError(_("The file is too large to be an A1 certificate (limit %(kb)d KB).") % {"kb": MAX_PFX_BYTES // 1024})
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, (password or "").encode())
    except (ValueError, TypeError) as exc:
        # cryptography reports a wrong password and a corrupt file with the same error.
        raise CertificateError(_("Wrong password or damaged certificate file.")) from exc
    if key is None or cert is None:
        raise CertificateError(_("The file has no private key and certificate: export the A1 with its private key."))
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CertificateError(_("The certificate key is not RSA, which the NF-e signature requires."))
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise CertificateError(_("The private key does not belong to the certificate in the file."))
    return key, cert, chain or []


def _cnpj_from_san(cert: x509.Certificate) -> str:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ""
    for name in san.get_values_for_type(x509.OtherName):
        if name.type_id == CNPJ_OTHERNAME_OID:
            # DER-encoded string (usually OCTET STRING or PrintableString): the 14 characters are its tail.
            text = only_document_chars(name.value.decode("latin-1", "ignore"))
            if len(text) >= 14 and is_valid_cnpj(text[-14:]):
                return text[-14:]
    return ""


def _cnpj_from_cn(cert: x509.Certificate) -> str:
    for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        tail = only_document_chars(str(attr.value).rsplit(":", 1)[-1])
        if is_valid_cnpj(tail):
            return tail
    return ""


def describe_certificate(cert: x509.Certificate) -> PfxInfo:
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return PfxInfo(
        subject_name=str(cn[0].value) if cn else cert.subject.rfc4514_string(),
        subject_cnpj=_cnpj_from_san(cert) or _cnpj_from_cn(cert),
        serial_number=format(cert.serial_number, "x"),
        issuer_name=cert.issuer.rfc4514_string()[:255],
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint_sha256=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def inspect_pfx(data: bytes, password: str, *, expected_cnpj: str, now: datetime | None = None) -> PfxInfo:
    """Everything a seller's upload must pass: readable, key matches, in validity, same company as the seller."""
    _key, cert, _chain = load_pfx(data, password)
    info = describe_certificate(cert)
    now = now or datetime.now(dt_timezone.utc)
    if info.not_after <= now:
        raise CertificateError(_("This certificate expired on %(date)s. Upload the renewed A1.") % {"date": info.not_after.strftime("%d/%m/%Y")})
    if info.not_before > now:
        raise CertificateError(_("This certificate is only valid from %(date)s.") % {"date": info.not_before.strftime("%d/%m/%Y")})
    if not info.subject_cnpj:
        raise CertificateError(_("No CNPJ found in the certificate: it must be an e-CNPJ (company) certificate."))
    if cnpj_root(info.subject_cnpj) != cnpj_root(expected_cnpj):
        raise CertificateError(
            _("The certificate belongs to CNPJ %(cert)s, not to this company (%(seller)s).")
            % {"cert": info.subject_cnpj, "seller": only_document_chars(expected_cnpj)}
        )
    return info


def make_test_pfx(
    *, cnpj: str, name: str, password: str, not_before: datetime | None = None, days: int = 365, key_size: int = 2048
) -> bytes:
    """A self-signed e-CNPJ-like certificate for demos and tests (subject 'NAME:CNPJ', SAN 2.16.76.1.3.3)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    start = not_before or datetime.now(dt_timezone.utc) - timedelta(days=1)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ICP-Brasil"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Certificado PJ A1 (teste)"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{name[:40]}:{cnpj}"),
    ])
    # OtherName value: DER OCTET STRING of the CNPJ, as ICP-Brasil's DOC-ICP-04 lays it out.
    other = x509.OtherName(CNPJ_OTHERNAME_OID, b"\x04" + bytes([len(cnpj)]) + cnpj.encode())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([other]), critical=False)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode()[:40], key, cert, None, serialization.BestAvailableEncryption(password.encode())
    )

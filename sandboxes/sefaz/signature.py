"""The sandbox's own XMLDSig verifier for the NF-e signature profile (lxml C14N + cryptography).

SEFAZ accepts exactly one shape: Signature (default namespace, no prefix) as the sibling that follows the
signed element, one Reference to "#" + its Id, transforms enveloped + C14N 1.0, SHA-1 digest, RSA-SHA1,
and the signer's certificate in KeyInfo/X509Data. Anything else is 298; a digest or value that does not
verify is 297.
"""

import base64
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from .codes import Rejection
from .schemas import standalone

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"

NOT_STANDARD = 298
DOES_NOT_VERIFY = 297
BAD_CERTIFICATE = 290


@dataclass(frozen=True)
class VerifiedSignature:
    digest_value: str  # the DigestValue as sent: protNFe/digVal echoes it
    certificate: x509.Certificate


def verify(signed: etree._Element) -> VerifiedSignature:
    """Verify the Signature that follows `signed` (infNFe, infEvento or infInut); raise Rejection."""
    signature = signed.getnext()
    if signature is None or signature.tag != f"{{{DS}}}Signature" or signature.prefix is not None:
        raise Rejection(NOT_STANDARD)
    reference = _check_profile(signature, signed.get("Id", ""))
    certificate = _certificate(signature)
    digest = base64.b64encode(hashlib.sha1(_c14n(signed)).digest()).decode()
    if digest != _text(reference, "DigestValue"):
        raise Rejection(DOES_NOT_VERIFY)
    _check_value(signature, certificate)
    return VerifiedSignature(_text(reference, "DigestValue"), certificate)


def _check_profile(signature: etree._Element, signed_id: str) -> etree._Element:
    """The fixed NF-e profile; returns the one Reference."""
    signed_info = _one(signature, "SignedInfo")
    if _one(signed_info, "CanonicalizationMethod").get("Algorithm") != C14N:
        raise Rejection(NOT_STANDARD)
    if _one(signed_info, "SignatureMethod").get("Algorithm") != RSA_SHA1:
        raise Rejection(NOT_STANDARD)
    references = signed_info.findall(f"{{{DS}}}Reference")
    if len(references) != 1 or not signed_id or references[0].get("URI") != f"#{signed_id}":
        raise Rejection(NOT_STANDARD)
    transforms = [t.get("Algorithm") for t in references[0].iterfind(f"{{{DS}}}Transforms/{{{DS}}}Transform")]
    if transforms != [ENVELOPED, C14N]:
        raise Rejection(NOT_STANDARD)
    if _one(references[0], "DigestMethod").get("Algorithm") != SHA1:
        raise Rejection(NOT_STANDARD)
    return references[0]


def _certificate(signature: etree._Element) -> x509.Certificate:
    data = signature.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if not data:
        raise Rejection(NOT_STANDARD)
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode("".join(data.split())))
    except ValueError:
        raise Rejection(BAD_CERTIFICATE) from None
    if not isinstance(certificate.public_key(), rsa.RSAPublicKey):
        raise Rejection(BAD_CERTIFICATE)
    return certificate


def _check_value(signature: etree._Element, certificate: x509.Certificate) -> None:
    try:
        value = base64.b64decode("".join(_text(signature, "SignatureValue").split()), validate=True)
        certificate.public_key().verify(value, _c14n(_one(signature, "SignedInfo")), padding.PKCS1v15(), hashes.SHA1())
    except (InvalidSignature, ValueError):
        raise Rejection(DOES_NOT_VERIFY) from None


def _c14n(element: etree._Element) -> bytes:
    # canonicalize a standalone copy: in place, lxml would pull in the SOAP envelope's namespaces
    return etree.tostring(standalone(element), method="c14n", exclusive=False, with_comments=False)


def _one(parent: etree._Element, name: str) -> etree._Element:
    found = parent.find(f"{{{DS}}}{name}")
    if found is None:
        raise Rejection(NOT_STANDARD)
    return found


def _text(parent: etree._Element, name: str) -> str:
    return (_one(parent, name).text or "").strip()

"""Enveloped XML-DSig as the NF-e manual fixes it: C14N 1.0, SHA-1, RSA-SHA1, one Reference, X509Certificate.

A small signer on lxml + cryptography (the research measured it fastest and byte-identical to signxml's and
xmlsec's output). The .pfx is decrypted and parsed once per certificate and the key object kept in memory
(a PKCS#12 load costs ~45 ms; a signature ~0.3 ms). Key material never touches the disk.
"""

import base64
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from sellers.certificates import load_pfx

DSIG = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_SIGNED_INFO = (
    f'<SignedInfo xmlns="{DSIG}"><CanonicalizationMethod Algorithm="{C14N}"/>'
    f'<SignatureMethod Algorithm="{DSIG}rsa-sha1"/><Reference URI="#{{ref}}"><Transforms>'
    f'<Transform Algorithm="{DSIG}enveloped-signature"/><Transform Algorithm="{C14N}"/></Transforms>'
    f'<DigestMethod Algorithm="{DSIG}sha1"/><DigestValue>{{digest}}</DigestValue></Reference></SignedInfo>'
)
CACHE_SIZE = 256  # one RSA-2048 key object is a few KB; 256 sellers per worker is plenty


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey = field(repr=False)
    certificate_b64: str = field(repr=False)  # DER of the certificate, base64, no line breaks
    fingerprint: str = ""


@dataclass(frozen=True)
class SignedNfe:
    xml: bytes
    digest_value: str


_cache: OrderedDict[str, SigningKey] = OrderedDict()
_lock = threading.Lock()


def signing_key_from_pfx(pfx: bytes, password: str, *, fingerprint: str = "") -> SigningKey:
    key, cert, _chain = load_pfx(pfx, password)
    der = cert.public_bytes(serialization.Encoding.DER)
    return SigningKey(key, base64.b64encode(der).decode(), fingerprint or hashlib.sha256(der).hexdigest())


def signing_key_for(certificate) -> SigningKey:
    """The key of a stored `Certificate`, loaded once per fingerprint (LRU, per process)."""
    fingerprint = certificate.fingerprint_sha256
    with _lock:
        if fingerprint in _cache:
            _cache.move_to_end(fingerprint)
            return _cache[fingerprint]
    key = signing_key_from_pfx(certificate.pfx.reveal(), certificate.password.reveal(), fingerprint=fingerprint)
    with _lock:
        _cache[fingerprint] = key
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return key


def _c14n(element: etree._Element) -> bytes:
    # Canonicalize a standalone copy: lxml's in-place subtree C14N can emit a stray xmlns="" (SEFAZ: 297).
    return etree.tostring(etree.fromstring(etree.tostring(element)), method="c14n")


def _find(root: etree._Element, tag: str) -> etree._Element:
    for element in root.iter(f"{{*}}{tag}"):
        return element
    raise ValueError(f"no <{tag}> element to sign")


def sign_element(root: etree._Element, *, reference_tag: str, key: SigningKey) -> str:
    """Append the Signature as the last child of the referenced element's parent; return the DigestValue."""
    target = _find(root, reference_tag)
    digest = base64.b64encode(hashlib.sha1(_c14n(target)).digest()).decode()
    signed_info = etree.fromstring(_SIGNED_INFO.format(ref=target.get("Id"), digest=digest))
    canonical = etree.tostring(signed_info, method="c14n")
    value = base64.b64encode(key.private_key.sign(canonical, padding.PKCS1v15(), hashes.SHA1())).decode()
    signature = etree.fromstring(
        f'<Signature xmlns="{DSIG}">{canonical.decode()}<SignatureValue>{value}</SignatureValue>'
        f"<KeyInfo><X509Data><X509Certificate>{key.certificate_b64}</X509Certificate></X509Data></KeyInfo>"
        "</Signature>"
    )
    target.getparent().append(signature)
    return digest


def sign_xml(xml: bytes, *, reference_tag: str, key: SigningKey) -> SignedNfe:
    """Sign any DF-e document: infNFe, infEvento (events), infInut (number voiding)."""
    root = etree.fromstring(xml)
    digest = sign_element(root, reference_tag=reference_tag, key=key)
    return SignedNfe(xml=etree.tostring(root, encoding="UTF-8", xml_declaration=False), digest_value=digest)


def sign_nfe(xml: bytes, key: SigningKey) -> SignedNfe:
    return sign_xml(xml, reference_tag="infNFe", key=key)

"""The DANFE renders from an nfeProc (signed NF-e + a protocol built here, as SEFAZ would return it)."""

import base64
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization

from fiscal.danfe import render_danfe
from fiscal.nfe.build import access_key_for, build_nfe_xml
from fiscal.nfe.samples import sample_document
from fiscal.nfe.signing import SigningKey, sign_nfe
from sellers.certificates import load_pfx, make_test_pfx

NS = "http://www.portalfiscal.inf.br/nfe"


@pytest.fixture(scope="module")
def key():
    private, cert, _ = load_pfx(make_test_pfx(cnpj="11222333000181", name="EMPRESA", password="x"), "x")
    return SigningKey(private, base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode())


def nfe_proc(doc, key) -> bytes:
    signed = sign_nfe(build_nfe_xml(doc), key)
    protocol = (
        f'<protNFe versao="4.00"><infProt><tpAmb>{doc.environment}</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic>'
        f"<chNFe>{access_key_for(doc)}</chNFe><dhRecbto>{doc.issued_at.isoformat(timespec='seconds')}</dhRecbto>"
        f"<nProt>135260000000001</nProt><digVal>{signed.digest_value}</digVal><cStat>100</cStat>"
        "<xMotivo>Autorizado o uso da NF-e</xMotivo></infProt></protNFe>"
    )
    return f'<nfeProc xmlns="{NS}" versao="4.00">'.encode() + signed.xml + protocol.encode() + b"</nfeProc>"


@pytest.mark.parametrize("issued_at", [
    datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo")),  # MOC 7.0 layout
    datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo")),  # NT 2026.010 layout
])
def test_danfe_renders_a_pdf_in_both_layouts(key, issued_at):
    pdf = render_danfe(nfe_proc(replace(sample_document(), issued_at=issued_at), key))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000

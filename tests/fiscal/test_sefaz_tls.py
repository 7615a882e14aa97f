"""Mutual TLS: the server is verified against the configured CA bundle, the seller's certificate goes along."""

import pytest

from fiscal.sefaz.client import SefazClient
from fiscal.sefaz.replies import SefazError
from fiscal.sefaz.transport import SoapTransport, client_tls_context
from sandboxes.sefaz.server import TlsConfig, start_sandbox
from tests.sandboxes.conftest import CNPJ, make_identity

pytestmark = pytest.mark.django_db  # the client keeps each authorizer's health in the database (fiscal.circuit)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    ca = make_identity("AC TESTE RAIZ", key_index=1, ca=True)
    stranger_ca = make_identity("AC DESCONHECIDA", key_index=3, ca=True)
    server = make_identity("127.0.0.1", key_index=2, issuer=ca, san_ip="127.0.0.1")
    seller = make_identity(f"EMPRESA TESTE LTDA:{CNPJ}", key_index=0, issuer=ca)
    return {"ca": ca.pem_files(directory)[0], "stranger_ca": stranger_ca.pem_files(directory)[0],
            "server": server.pem_files(directory), "seller": seller}


@pytest.fixture
def tls_sandbox(tmp_path, pki, settings):
    cert, key = pki["server"]
    handle = start_sandbox(str(tmp_path / "tls.sqlite3"), tls=TlsConfig(cert=cert, key=key, client_ca=pki["ca"]))
    settings.SEFAZ_BASE_URL_OVERRIDE = handle.url
    yield handle
    handle.stop()


def _client(pki, *, with_certificate=True):
    seller = pki["seller"]
    context = client_tls_context(seller.key, seller.cert) if with_certificate else None
    return SefazClient(uf="SP", environment=2, cnpj=CNPJ, transport=SoapTransport(context, timeout=5))


def test_the_client_refuses_a_server_whose_certificate_is_not_in_the_configured_bundle(tls_sandbox, pki, settings):
    settings.SEFAZ_CA_BUNDLE = pki["stranger_ca"]
    with pytest.raises(SefazError) as raised:
        _client(pki).status()
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value) or "certificate verify failed" in str(raised.value)


def test_the_client_talks_to_a_server_in_the_bundle_with_the_sellers_certificate(tls_sandbox, pki, settings):
    settings.SEFAZ_CA_BUNDLE = pki["ca"]
    assert _client(pki).status().cstat == "107"


def test_without_the_sellers_certificate_the_https_call_is_not_made(tls_sandbox, pki, settings):
    settings.SEFAZ_CA_BUNDLE = pki["ca"]
    with pytest.raises(ValueError, match="mutual TLS"):
        _client(pki, with_certificate=False).status()


def test_plain_http_is_refused_unless_it_is_the_sandbox_override(settings):
    settings.SEFAZ_BASE_URL_OVERRIDE = ""
    with pytest.raises(ValueError, match="HTTPS"):
        SoapTransport(None).post("http://nfe-homologacao.svrs.rs.gov.br/ws/x.asmx", b"<x/>", action="x")


def test_the_client_key_is_loaded_without_leaving_a_file_behind(pki, tmp_path, monkeypatch):
    import os
    before = set(os.listdir("/tmp"))
    client_tls_context(pki["seller"].key, pki["seller"].cert)
    assert set(os.listdir("/tmp")) - before == set()

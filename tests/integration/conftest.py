"""The Amazon sandbox on a free port, our settings pointed at it, and a seller authorized there."""

import subprocess
from pathlib import Path

import pytest
import requests
from django.test import override_settings

from sandboxes.amazon.server import start_sandbox
from sellers.encryption import secret
from tests.factories import AmazonAuthorizationFactory, SellerFactory

SELLER_SP = "A1SIMPLESSPDEMO"
SELLER_SP_CNPJ = "11222333000181"
SELLER_MG = "A2NORMALMGDEMO"
ORDER_SP = "702-4100001-5300007"
SHIPMENT_SP = "D01FBAOSSP"
FRAGMENT = Path(__file__).resolve().parents[2] / "locale" / "fragments" / "integration.po"


def start(tmp_path, scenario=None, **settings):
    options = {"rate_scale": 1000, "invoice_delay": 0.2, "publish_on_start": False, **settings}
    return start_sandbox(scenario, tmp_path / "amazon.sqlite3", **options)


def sandbox_settings(handle):
    creds = handle.credentials()
    return override_settings(
        LWA_TOKEN_URL=creds["lwa_token_url"], SP_API_BASE_URL=creds["sp_api_base_url"],
        LWA_CLIENT_ID=creds["client_id"], LWA_CLIENT_SECRET=creds["client_secret"],
        LWA_CONSENT_URL=f"{handle.url}/apps/authorize/consent",
        SP_API_APPLICATION_ID=handle.sandbox.scenario["application"]["application_id"],
        SP_API_BACKOFF_BASE=0.01, SP_API_BACKOFF_CAP=0.05, SP_API_MAX_THROTTLE_WAIT=5,
    )


@pytest.fixture
def amazon(tmp_path, db):
    handle = start(tmp_path)
    with sandbox_settings(handle):
        yield handle
    handle.stop()


def control(handle, method: str, path: str, **body) -> dict:
    response = requests.request(method, f"{handle.url}/_sandbox/{path}", json=body, timeout=10)
    assert response.status_code < 300, response.text
    return response.json()


def refresh_token_of(handle, seller_id: str) -> str:
    return handle.sandbox.scenario["sellers"][seller_id]["refreshTokens"][0]


def authorize(handle, seller_id=SELLER_SP, cnpj=SELLER_SP_CNPJ, **kwargs):
    seller = SellerFactory(cnpj=cnpj, email="fiscal@paulista.example.com.br")
    return AmazonAuthorizationFactory(
        seller=seller, selling_partner_id=seller_id, refresh_token=secret(refresh_token_of(handle, seller_id)), **kwargs
    )


@pytest.fixture
def sp_seller(amazon):
    return authorize(amazon).seller


@pytest.fixture
def portuguese(tmp_path_factory):
    """The build merges PO fragments into the catalog; here we compile ours so pt-BR text can be checked."""
    root = tmp_path_factory.mktemp("locale")
    target = root / "pt_BR" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(FRAGMENT)], check=True)
    from django.utils import translation

    with override_settings(LOCALE_PATHS=[str(root)]), translation.override("pt-br"):
        yield

"""Fixtures for the Amazon sandbox tests, imported explicitly by the test modules.

Nothing here uses the product's `integration/` client: requests are made with `requests`,
NF-e documents are assembled with lxml, and responses are checked against the official
models with `jsonschema`, so a bug in the product cannot hide a bug in the sandbox.
"""

import base64
import hashlib
import json

import jsonschema
import pytest
import requests
from lxml import etree
from lxml.builder import ElementMaker

from sandboxes.amazon import modelspec
from sandboxes.amazon.server import start_sandbox

SELLER_SP = "A1SIMPLESSPDEMO"
SELLER_MG = "A2NORMALMGDEMO"
ORDER_SP = "702-4100001-5300007"  # internal SP -> SP sale, consumer CPF
SHIPMENT_SP = "D01FBAOSSP"
ORDER_MG = "702-4100005-5300035"  # incomplete address
MARKETPLACE_CNPJ = "15436940000103"
SELLER_SP_CNPJ = "11222333000181"
NFE_NS = "http://www.portalfiscal.inf.br/nfe"


@pytest.fixture
def amazon(tmp_path):
    """A fresh sandbox with the demo scenario; rates sped up so the suite never waits on them."""
    handle = start_sandbox(None, tmp_path / "amazon.sqlite3", rate_scale=1000, invoice_delay=0.3,
                           publish_on_start=False)
    yield handle
    handle.stop()


@pytest.fixture
def moto_sqs():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def sqs_client(endpoint: str):
    import boto3

    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="sandbox", aws_secret_access_key="sandbox")


def refresh(handle, refresh_token: str | None = None, **overrides) -> requests.Response:
    creds = handle.credentials()
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token or creds["refresh_token"],
            "client_id": creds["client_id"], "client_secret": creds["client_secret"], **overrides}
    return requests.post(handle.lwa_token_url, data=form, timeout=5)


def access_token(handle, refresh_token: str | None = None) -> str:
    response = refresh(handle, refresh_token)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def seller_token(handle, seller_id: str) -> str:
    token = handle.sandbox.scenario["sellers"][seller_id]["refreshTokens"][0]
    return access_token(handle, token)


def call(handle, method: str, path: str, token: str | None, **kwargs) -> requests.Response:
    headers = {"x-amz-access-token": token} if token else {}
    return requests.request(method, handle.url + path, headers=headers, timeout=10, **kwargs)


def control(handle, method: str, path: str, body: dict | None = None) -> requests.Response:
    return requests.request(method, f"{handle.url}/_sandbox/{path}", json=body, timeout=10)


def rdt_for(handle, token: str, path: str) -> str:
    response = call(handle, "POST", "/tokens/2021-03-01/restrictedDataToken", token,
                    json={"restrictedResources": [{"method": "GET", "path": path}]})
    assert response.status_code == 200, response.text
    return response.json()["restrictedDataToken"]


# --- model validation ---

def assert_model_valid(response: requests.Response, model: str, operation_id: str) -> None:
    """The body validates against the model's schema for this operation and status code."""
    op = modelspec.operation(model, operation_id)
    schema = modelspec.response_schema(op, response.status_code)
    jsonschema.Draft4Validator(schema).validate(response.json())


def assert_notification_valid(message: dict) -> None:
    name = {"ORDER_CHANGE": "OrderChangeNotification.json",
            "FBA_OUTBOUND_SHIPMENT_STATUS": "FBAOutboundShipmentStatusNotification.json"}[message["NotificationType"]]
    jsonschema.Draft7Validator(modelspec.notification_schema(name)).validate(message)


# --- NF-e documents (authorised nfeProc), built with lxml ---

def nfe_proc(order_id: str, *, cstat: str = "100", issuer_cnpj: str = SELLER_SP_CNPJ,
             intermediary_cnpj: str | None = MARKETPLACE_CNPJ, reference_in: str = "xPed") -> bytes:
    E = ElementMaker(namespace=NFE_NS, nsmap={None: NFE_NS})
    key = "35261111222333000181550010000000011000000019"
    inf = [E.ide(E.cUF("35"), E.natOp("Venda"), E.mod("55"), E.indIntermed("1")),
           E.emit(E.CNPJ(issuer_cnpj), E.xNome("Paulista Utilidades Domesticas Ltda"))]
    if intermediary_cnpj:
        inf.append(E.infIntermed(E.CNPJ(intermediary_cnpj), E.idCadIntTran("Paulista Utilidades")))
    if reference_in == "xPed":
        inf.append(E.compra(E.xPed(order_id)))
    elif reference_in == "infCpl":
        inf.append(E.infAdic(E.infCpl(f"Pedido Amazon {order_id}")))
    document = E.nfeProc(
        E.NFe(E.infNFe(*inf, Id=f"NFe{key}", versao="4.00")),
        E.protNFe(E.infProt(E.tpAmb("2"), E.chNFe(key), E.cStat(cstat), E.xMotivo("Autorizado o uso da NF-e")),
                  versao="4.00"),
        versao="4.00",
    )
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")


def invoice_body(xml: bytes, *, md5: str | None = None) -> dict:
    digest = md5 or base64.b64encode(hashlib.md5(xml).digest()).decode()  # noqa: S324 - protocol digest
    return {"InvoiceContent": base64.b64encode(xml).decode(), "ContentMD5Value": digest, "MarketplaceId": "A2Q3Y263D00KWC"}


def as_json(response: requests.Response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)

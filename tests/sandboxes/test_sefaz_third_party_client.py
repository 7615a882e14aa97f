"""A client we did not write (PyNFe 0.6.5) gets 100 from the sandbox, and SEFAZ's rejection when it errs.

PyNFe builds its own XML, signs with its own AssinaturaA1 (signxml) and talks over mutual TLS. The only
change is configuration: its SVRS URL table is pointed at the sandbox's host.
"""

import datetime
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from lxml import etree

pynfe = pytest.importorskip("pynfe")
from pynfe.entidades.cliente import Cliente  # noqa: E402
from pynfe.entidades.emitente import Emitente  # noqa: E402
from pynfe.entidades.fonte_dados import _fonte_dados  # noqa: E402
from pynfe.entidades.notafiscal import NotaFiscal  # noqa: E402
from pynfe.processamento.assinatura import AssinaturaA1  # noqa: E402
from pynfe.processamento.comunicacao import ComunicacaoSefaz  # noqa: E402
from pynfe.processamento.serializacao import SerializacaoXML  # noqa: E402
from pynfe.utils import webservices  # noqa: E402
from pynfe.utils.flags import CODIGO_BRASIL  # noqa: E402

from .conftest import CNPJ, HOMOLOGACAO_NAME  # noqa: E402

NS = {"n": "http://www.portalfiscal.inf.br/nfe"}
PASSWORD = "1234"


@pytest.fixture
def pfx(tmp_path, pki):
    own = pki["own_identity"]
    path = tmp_path / "empresa.pfx"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"empresa", own.key, own.cert, None,
                                                           BestAvailableEncryption(PASSWORD.encode())))
    return str(path)


@pytest.fixture
def pynfe_at_sandbox(monkeypatch, tls_sandbox):
    """Point PyNFe's SVRS homologação entries at the sandbox: same paths, another host."""
    svrs = webservices.NFE["SVRS"]
    monkeypatch.setitem(svrs, "HOMOLOGACAO", tls_sandbox.url + "/")
    for service in ("STATUS", "AUTORIZACAO", "RECIBO", "CHAVE", "INUTILIZACAO", "EVENTOS"):
        monkeypatch.setitem(svrs, service, svrs[service].removeprefix("svrs.rs.gov.br/"))
    return tls_sandbox


def pynfe_document(number: int, *, total_override: Decimal | None = None):
    """An NF-e built and serialized by PyNFe itself (CE emitter: PyNFe routes CE to SVRS)."""
    _fonte_dados.limpar_dados()  # PyNFe keeps every entity in a process-global store
    emitente = Emitente(
        razao_social="EMPRESA TESTE LTDA", nome_fantasia="EMPRESA TESTE", cnpj=CNPJ, codigo_de_regime_tributario="3",
        inscricao_estadual="061234567", cnae_fiscal="4781400", endereco_logradouro="Rua A", endereco_numero="1",
        endereco_bairro="Centro", endereco_municipio="Fortaleza", endereco_uf="CE", endereco_cep="60000000",
        endereco_pais=CODIGO_BRASIL, endereco_telefone="8532000000",
    )
    cliente = Cliente(
        razao_social=HOMOLOGACAO_NAME, tipo_documento="CPF", email="comprador@example.com",
        numero_documento="11144477735", indicador_ie=9, endereco_logradouro="Rua B", endereco_numero="2",
        endereco_bairro="Centro", endereco_municipio="Fortaleza", endereco_uf="CE", endereco_cep="60000000",
        endereco_pais=CODIGO_BRASIL, endereco_telefone="8532000001",
    )
    nota = NotaFiscal(
        emitente=emitente, cliente=cliente, uf="CE", natureza_operacao="VENDA", forma_pagamento=0, tipo_pagamento=1,
        modelo=55, serie="1", numero_nf=str(number), data_emissao=datetime.datetime.now(),
        data_saida_entrada=datetime.datetime.now(), tipo_documento=1, municipio="2304400", tipo_impressao_danfe=1,
        forma_emissao="1", cliente_final=1, indicador_destino=1, indicador_presencial=2, indicador_intermediador=0,
        finalidade_emissao="1", processo_emissao="0", transporte_modalidade_frete=9,
        informacoes_adicionais_interesse_fisco="", totais_tributos_aproximado=Decimal("0.00"),
    )
    nota.adicionar_produto_servico(
        codigo="SKU1", descricao="Camiseta", ncm="61091000", cfop="5102", unidade_comercial="UN", ean="SEM GTIN",
        ean_tributavel="SEM GTIN", quantidade_comercial=Decimal("1"), valor_unitario_comercial=Decimal("100.00"),
        valor_total_bruto=Decimal("100.00"), unidade_tributavel="UN", quantidade_tributavel=Decimal("1"),
        valor_unitario_tributavel=Decimal("100.00"), ind_total=1, icms_modalidade="00", icms_origem=0,
        icms_modalidade_determinacao_bc=3, icms_valor_base_calculo=Decimal("100.00"), icms_aliquota=Decimal("12.00"),
        icms_valor=Decimal("12.00"), pis_modalidade="07", cofins_modalidade="07", valor_tributos_aprox=Decimal("0.00"),
    )
    if total_override is not None:
        nota.totais_icms_total_nota = total_override
    return SerializacaoXML(_fonte_dados, homologacao=True).exportar()


def send(pfx: str, number: int, **kwargs):
    signed = AssinaturaA1(pfx, PASSWORD).assinar(pynfe_document(number, **kwargs))
    client = ComunicacaoSefaz("CE", pfx, PASSWORD, homologacao=True)
    return client.autorizacao(modelo="nfe", nota_fiscal=signed, timeout=10)


def test_pynfe_builds_signs_and_sends_an_nfe_that_the_sandbox_authorizes(pynfe_at_sandbox, pfx):
    outcome = send(pfx, 101)
    assert outcome[0] == 0, etree.tostring(outcome[1]) if hasattr(outcome[1], "tag") else outcome[1].text
    prot = outcome[1].find("n:protNFe/n:infProt", NS)
    assert prot.findtext("n:cStat", namespaces=NS) == "100"


def test_pynfe_with_a_wrong_total_gets_rejection_610(pynfe_at_sandbox, pfx):
    status, response, _ = send(pfx, 102, total_override=Decimal("90.00"))
    assert status == 1
    reply = etree.fromstring(response.content)
    assert reply.findtext(".//n:protNFe/n:infProt/n:cStat", namespaces=NS) == "610"


def test_pynfe_status_query_gets_107(pynfe_at_sandbox, pfx):
    response = ComunicacaoSefaz("CE", pfx, PASSWORD, homologacao=True).status_servico("nfe")
    assert etree.fromstring(response.content).findtext(".//n:cStat", namespaces=NS) == "107"

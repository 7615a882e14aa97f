"""NF-e throughput: our engine (build + sign + XSD) against the floor and PyNFe 0.6.5, same run, same machine.

    .venv/bin/python benchmarks/nfe_throughput.py [--n 1000]

No database: invoices come from `fiscal.nfe.samples` (interstate consumer sale, 2 items, ICMS00 + DIFAL + FCP,
PIS/COFINS, card payment, marketplace). The floor is one RSA-2048 PKCS#1 v1.5 SHA-1 signature plus the C14N of
the same document's infNFe. PyNFe builds an equivalent invoice with its entities + SerializacaoXML and signs it
with AssinaturaA1 (signxml, which re-reads the PEM key on every signature).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from lxml import etree  # noqa: E402

from fiscal.nfe.build import build_nfe_xml  # noqa: E402
from fiscal.nfe.samples import sample_document  # noqa: E402
from fiscal.nfe.schema import validate_nfe  # noqa: E402
from fiscal.nfe.signing import sign_nfe, signing_key_from_pfx  # noqa: E402
from sellers.certificates import make_test_pfx  # noqa: E402

CNPJ, PASSWORD = "11222333000181", "benchmark"


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) in MB."""
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(docs, key, marks):
    for i, doc in enumerate(docs):
        signed = sign_nfe(build_nfe_xml(doc), key)
        validate_nfe(signed.xml)
        if i in marks:
            marks[i] = rss_mb()


def floor(docs, key):
    xmls = [build_nfe_xml(doc) for doc in docs]
    started = time.perf_counter()
    for xml in xmls:
        inf = etree.fromstring(xml)[0]
        canonical = etree.tostring(inf, method="c14n")
        key.private_key.sign(canonical, padding.PKCS1v15(), hashes.SHA1())
    return time.perf_counter() - started


def pynfe_note(doc, emitente, cliente):
    from pynfe.entidades.notafiscal import NotaFiscal

    nota = NotaFiscal(
        emitente=emitente, cliente=cliente, uf="SP", natureza_operacao="VENDA DE MERCADORIA", modelo=55, serie="1",
        numero_nf=str(doc.number), data_emissao=doc.issued_at, data_saida_entrada=doc.issued_at, tipo_documento=1,
        municipio="3550308", tipo_impressao_danfe=1, forma_emissao="1", cliente_final=1, indicador_destino=2,
        indicador_presencial=2, indicador_intermediador=1, finalidade_emissao="1", processo_emissao="0",
        transporte_modalidade_frete=0, informacoes_complementares_interesse_contribuinte="Pedido Amazon " + doc.order_id,
        totais_tributos_aproximado=Decimal("0"), valor_troco=Decimal("0"),
    )
    for item in doc.items:
        nota.adicionar_produto_servico(
            codigo=item.code, descricao=item.description, ncm=item.ncm, cfop="6108", unidade_comercial="UN",
            ean=item.gtin, ean_tributavel=item.gtin, quantidade_comercial=item.quantity,
            valor_unitario_comercial=item.total / item.quantity, valor_total_bruto=item.total, unidade_tributavel="UN",
            quantidade_tributavel=item.quantity, valor_unitario_tributavel=item.total / item.quantity, ind_total=1,
            icms_modalidade="00", icms_origem=0, icms_csosn="", icms_aliquota=Decimal("12"),
            icms_valor_base_calculo=item.total, icms_valor=item.total * Decimal("0.12"), pis_modalidade="01",
            pis_aliquota_percentual=Decimal("1.65"), pis_valor_base_calculo=item.total, cofins_modalidade="01",
            cofins_aliquota_percentual=Decimal("7.60"), cofins_valor_base_calculo=item.total, valor_tributos_aprox="0",
        )
    nota.adicionar_pagamento(t_pag="03", x_pag="Cartao", v_pag=sum(i.total for i in doc.items), ind_pag=0)
    return nota


def pynfe(docs, pfx_path):
    from pynfe.entidades.cliente import Cliente
    from pynfe.entidades.emitente import Emitente
    from pynfe.entidades.fonte_dados import _fonte_dados
    from pynfe.processamento.assinatura import AssinaturaA1
    from pynfe.processamento.serializacao import SerializacaoXML
    from pynfe.utils.flags import CODIGO_BRASIL

    emitente = Emitente(
        razao_social="EMPRESA TESTE LTDA", cnpj=CNPJ, codigo_de_regime_tributario="3", inscricao_estadual="110042490114",
        endereco_logradouro="Avenida Paulista", endereco_numero="1000", endereco_bairro="Bela Vista",
        endereco_municipio="São Paulo", endereco_uf="SP", endereco_cep="01310100", endereco_pais=CODIGO_BRASIL,
        endereco_cod_municipio="3550308",
    )
    cliente = Cliente(
        razao_social="Maria da Silva", tipo_documento="CPF", numero_documento="52998224725", indicador_ie=9,
        endereco_logradouro="Rua da Assembleia", endereco_numero="10", endereco_bairro="Centro",
        endereco_municipio="Rio de Janeiro", endereco_uf="RJ", endereco_cep="20011000", endereco_pais=CODIGO_BRASIL,
        endereco_cod_municipio="3304557",
    )
    signer = AssinaturaA1(pfx_path, PASSWORD)
    started = time.perf_counter()
    for doc in docs:
        pynfe_note(doc, emitente, cliente)
        xml = SerializacaoXML(_fonte_dados, homologacao=True).exportar()
        signer.assinar(xml)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pynfe-n", type=int, default=0, help="PyNFe invoices (default: min(n, 200); it is slow)")
    args = parser.parse_args()
    pfx = make_test_pfx(cnpj=CNPJ, name="EMPRESA TESTE LTDA", password=PASSWORD)
    key = signing_key_from_pfx(pfx, PASSWORD)
    base = sample_document()
    docs = [replace(base, number=n, cnf=f"{(n * 7919 + 13) % 10**8:08d}") for n in range(1, args.n + 1)]
    ours(docs[:20], key, {})  # warm-up: schema compilation, xsdata context metadata
    marks = {0: None, len(docs) // 2: None, len(docs) - 1: None}
    started = time.perf_counter()
    ours(docs, key, marks)
    ours_ms = (time.perf_counter() - started) * 1000 / len(docs)
    floor_ms = floor(docs, key) * 1000 / len(docs)
    n_pynfe = args.pynfe_n or min(args.n, 200)
    # PyNFe reads the certificate from a path: a password-protected test .pfx in a private temp dir.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.pfx"
        path.write_bytes(pfx)
        pynfe_ms = pynfe(docs[:n_pynfe], str(path)) * 1000 / n_pynfe
    print(f"invoices: ours {len(docs)}, PyNFe {n_pynfe} (2 items each, DIFAL, card, marketplace)")
    print(f"ours  (build + sign + XSD validate): {ours_ms:7.2f} ms/invoice")
    print(f"floor (C14N + RSA-2048 SHA-1 sign):  {floor_ms:7.2f} ms/invoice")
    print(f"PyNFe 0.6.5 (build + sign):           {pynfe_ms:7.2f} ms/invoice")
    print(f"PyNFe / ours = {pynfe_ms / ours_ms:5.1f}x   ours / floor = {ours_ms / floor_ms:5.1f}x")
    for label, (index, (current, peak)) in zip(("start", "middle", "end"), sorted(marks.items())):
        print(f"RSS at {label:6} (invoice {index + 1:5}): current {current:6.1f} MB, peak {peak:6.1f} MB")


if __name__ == "__main__":
    main()

"""Fixtures for the SEFAZ sandbox tests: certificates, a test signer, NF-e documents, the running server.

None of this uses the product's fiscal/ code: documents are assembled here with lxml, signed with a
small signer on cryptography, so a bug in the product cannot hide a bug in the sandbox (or vice versa).
"""

import base64
import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from lxml.builder import ElementMaker

from sandboxes.sefaz.server import TlsConfig, start_sandbox

NFE = "http://www.portalfiscal.inf.br/nfe"
DS = "http://www.w3.org/2000/09/xmldsig#"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSDL = "http://www.portalfiscal.inf.br/nfe/wsdl/"
BRT = timezone(timedelta(hours=-3))
CNPJ = "12345678000195"
HOMOLOGACAO_NAME = "NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL"
PATHS = {
    "NFeAutorizacao4": "/ws/NfeAutorizacao/NFeAutorizacao4.asmx",
    "NFeRetAutorizacao4": "/ws/NfeRetAutorizacao/NFeRetAutorizacao4.asmx",
    "NFeConsultaProtocolo4": "/ws/NfeConsulta/NfeConsulta4.asmx",
    "NFeStatusServico4": "/ws/NfeStatusServico/NfeStatusServico4.asmx",
    "NFeRecepcaoEvento4": "/ws/recepcaoevento/recepcaoevento4.asmx",
    "NFeInutilizacao4": "/ws/nfeinutilizacao/nfeinutilizacao4.asmx",
}
N = ElementMaker(namespace=NFE, nsmap={None: NFE})
D = ElementMaker(namespace=DS, nsmap={None: DS})


# --- certificates ----------------------------------------------------------------------------------------

@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem_files(self, directory) -> tuple[str, str]:
        cert, key = directory / f"{id(self)}.crt", directory / f"{id(self)}.key"
        cert.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        key.write_bytes(self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return str(cert), str(key)


_KEYS: list[rsa.RSAPrivateKey] = []


def _key(index: int) -> rsa.RSAPrivateKey:
    while len(_KEYS) <= index:  # RSA generation is the slow part: a few keys serve every test
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEYS[index]


def make_identity(common_name: str, *, key_index=0, issuer: Identity | None = None, ca=False,
                  days=(-1, 365), san_ip: str | None = None) -> Identity:
    key = _key(key_index)
    now = datetime.now(UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = (
        x509.CertificateBuilder().subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=days[0])).not_valid_after(now + timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san_ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(san_ip))]), False)
    cert = builder.sign((issuer.key if issuer else key), hashes.SHA256())
    return Identity(key, cert)


@pytest.fixture(scope="session")
def company() -> Identity:
    """The emitter's e-CNPJ: self-signed, CN 'NAME:CNPJ' like ICP-Brasil certificates."""
    return make_identity(f"EMPRESA TESTE LTDA:{CNPJ}")


# --- the test signer -------------------------------------------------------------------------------------

def c14n(element: etree._Element) -> bytes:
    copy = etree.fromstring(etree.tostring(element))
    return etree.tostring(copy, method="c14n")


def sign(signed: etree._Element, identity: Identity) -> etree._Element:
    """Enveloped XMLDSig as SEFAZ wants it, appended as the sibling after `signed`."""
    digest = base64.b64encode(hashlib.sha1(c14n(signed)).digest()).decode()
    signed_info = D.SignedInfo(
        D.CanonicalizationMethod(Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
        D.SignatureMethod(Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
        D.Reference(
            D.Transforms(
                D.Transform(Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"),
                D.Transform(Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
            ),
            D.DigestMethod(Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"),
            D.DigestValue(digest),
            URI="#" + signed.get("Id"),
        ),
    )
    value = identity.key.sign(c14n(signed_info), padding.PKCS1v15(), hashes.SHA1())
    der = identity.cert.public_bytes(serialization.Encoding.DER)
    signature = D.Signature(signed_info, D.SignatureValue(base64.b64encode(value).decode()),
                            D.KeyInfo(D.X509Data(D.X509Certificate(base64.b64encode(der).decode()))))
    signed.addnext(signature)
    return signed.getparent()


# --- documents -------------------------------------------------------------------------------------------

def check_digit(first_43: str) -> int:
    total = sum((ord(c) - 48) * (2 + i % 8) for i, c in enumerate(reversed(first_43)))
    return 0 if total % 11 < 2 else 11 - total % 11


def money(value) -> str:
    return f"{Decimal(value):.2f}"


def item(n: int, *, vProd="100.00", NCM="61091000", CEST=None, icms="00", difal=False, vFrete=None):
    vProd = Decimal(vProd)
    if icms == "60":
        icms_group = N.ICMS60(N.orig("0"), N.CST("60"))
        vBC = vICMS = Decimal(0)
    else:
        vBC, vICMS = vProd, (vProd * Decimal("0.12")).quantize(Decimal("0.01"))
        icms_group = N.ICMS00(N.orig("0"), N.CST("00"), N.modBC("3"), N.vBC(money(vBC)), N.pICMS("12.00"),
                              N.vICMS(money(vICMS)))
    prod = [N.cProd(f"SKU{n}"), N.cEAN("SEM GTIN"), N.xProd(f"Camiseta {n}"), N.NCM(NCM)]
    if CEST:
        prod.append(N.CEST(CEST))
    prod += [N.CFOP("6108" if difal else "5102"), N.uCom("UN"), N.qCom("1.0000"), N.vUnCom(money(vProd)),
             N.vProd(money(vProd)), N.cEANTrib("SEM GTIN"), N.uTrib("UN"), N.qTrib("1.0000"),
             N.vUnTrib(money(vProd))]
    if vFrete:
        prod.append(N.vFrete(money(vFrete)))
    prod.append(N.indTot("1"))
    vPIS, vCOFINS = (vProd * Decimal("0.0165")).quantize(Decimal("0.01")), (vProd * Decimal("0.076")).quantize(Decimal("0.01"))
    taxes = [
        N.ICMS(icms_group),
        N.PIS(N.PISAliq(N.CST("01"), N.vBC(money(vProd)), N.pPIS("1.6500"), N.vPIS(money(vPIS)))),
        N.COFINS(N.COFINSAliq(N.CST("01"), N.vBC(money(vProd)), N.pCOFINS("7.6000"), N.vCOFINS(money(vCOFINS)))),
    ]
    if difal:
        taxes.append(N.ICMSUFDest(
            N.vBCUFDest(money(vProd)), N.vBCFCPUFDest(money(vProd)), N.pFCPUFDest("2.0000"), N.pICMSUFDest("20.0000"),
            N.pICMSInter("12.00"), N.pICMSInterPart("100.0000"), N.vFCPUFDest(money(vProd * Decimal("0.02"))),
            N.vICMSUFDest(money(vProd * Decimal("0.08"))), N.vICMSUFRemet("0.00"),
        ))
    return N.det(N.prod(*prod), N.imposto(*taxes), nItem=str(n)), dict(
        vBC=vBC, vICMS=vICMS, vProd=vProd, vPIS=vPIS, vCOFINS=vCOFINS, vFrete=Decimal(vFrete or 0),
        vFCPUFDest=Decimal(money(vProd * Decimal("0.02"))) if difal else 0,
        vICMSUFDest=Decimal(money(vProd * Decimal("0.08"))) if difal else 0,
    )


def build_nfe(*, nNF=1, serie=1, cNF=None, dhEmi=None, xNome=HOMOLOGACAO_NAME, items=None, interstate=False,
              indFinal="1", tpAmb="2", emit_cnpj=CNPJ, key_override=None) -> etree._Element:
    """An unsigned, XSD-valid NF-e 4.00 (<NFe> element). Interstate: SP to RJ, consumer CPF, non-contributor."""
    dhEmi = dhEmi or datetime.now(BRT).replace(microsecond=0)
    cNF = cNF if cNF is not None else 10000000 + nNF * 7919 % 89999999
    dets = items or [item(1, difal=interstate)]
    sums = {k: sum((Decimal(d[1].get(k, 0)) for d in dets), Decimal(0)) for k in dets[0][1]}
    first_43 = f"35{dhEmi:%y%m}{emit_cnpj}55{serie:03d}{nNF:09d}1{cNF:08d}"
    key = key_override or first_43 + str(check_digit(first_43))
    ide = N.ide(
        N.cUF("35"), N.cNF(f"{cNF:08d}"), N.natOp("VENDA"), N.mod("55"), N.serie(str(serie)), N.nNF(str(nNF)),
        N.dhEmi(dhEmi.isoformat()), N.tpNF("1"), N.idDest("2" if interstate else "1"), N.cMunFG("3550308"),
        N.tpImp("1"), N.tpEmis("1"), N.cDV(key[-1]), N.tpAmb(tpAmb), N.finNFe("1"), N.indFinal(indFinal),
        N.indPres("2"), N.indIntermed("0"), N.procEmi("0"), N.verProc("tests-1.0"),
    )
    emit = N.emit(
        N.CNPJ(emit_cnpj), N.xNome("EMPRESA TESTE LTDA"),
        N.enderEmit(N.xLgr("Rua A"), N.nro("1"), N.xBairro("Centro"), N.cMun("3550308"), N.xMun("Sao Paulo"),
                    N.UF("SP"), N.CEP("01001000"), N.cPais("1058"), N.xPais("Brasil")),
        N.IE("123456789012"), N.CRT("3"),
    )
    dest_address = (N.xLgr("Rua B"), N.nro("2"), N.xBairro("Centro"))
    dest_address += ((N.cMun("3304557"), N.xMun("Rio de Janeiro"), N.UF("RJ")) if interstate
                     else (N.cMun("3550308"), N.xMun("Sao Paulo"), N.UF("SP")))
    dest = N.dest(N.CPF("11144477735"), N.xNome(xNome),
                  N.enderDest(*dest_address, N.CEP("20000000"), N.cPais("1058"), N.xPais("Brasil")), N.indIEDest("9"))
    vNF = sums["vProd"] + sums["vFrete"]
    tot = N.ICMSTot(
        N.vBC(money(sums["vBC"])), N.vICMS(money(sums["vICMS"])), N.vICMSDeson("0.00"),
        *([N.vFCPUFDest(money(sums["vFCPUFDest"])), N.vICMSUFDest(money(sums["vICMSUFDest"])), N.vICMSUFRemet("0.00")]
          if interstate else []),
        N.vFCP("0.00"), N.vBCST("0.00"), N.vST("0.00"), N.vFCPST("0.00"), N.vFCPSTRet("0.00"),
        N.vProd(money(sums["vProd"])), N.vFrete(money(sums["vFrete"])), N.vSeg("0.00"), N.vDesc("0.00"),
        N.vII("0.00"), N.vIPI("0.00"), N.vIPIDevol("0.00"), N.vPIS(money(sums["vPIS"])),
        N.vCOFINS(money(sums["vCOFINS"])), N.vOutro("0.00"), N.vNF(money(vNF)),
    )
    inf = N.infNFe(
        ide, emit, dest, *(d[0] for d in dets), N.total(tot), N.transp(N.modFrete("9")),
        N.pag(N.detPag(N.tPag("03"), N.vPag(money(vNF)))), versao="4.00", Id=f"NFe{key}",
    )
    return N.NFe(inf)


def key_of(nfe: etree._Element) -> str:
    return nfe.find(f"{{{NFE}}}infNFe").get("Id")[3:]


# --- talking to the sandbox ------------------------------------------------------------------------------

def envelope(operation: str, payload: etree._Element) -> bytes:
    root = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap12": SOAP12})
    body = etree.SubElement(root, f"{{{SOAP12}}}Body")
    message = etree.SubElement(body, f"{{{WSDL}{operation}}}nfeDadosMsg", nsmap={None: f"{WSDL}{operation}"})
    message.append(payload)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def post(url: str, operation: str, payload: etree._Element | bytes, **kwargs) -> requests.Response:
    data = payload if isinstance(payload, bytes) else envelope(operation, payload)
    kwargs.setdefault("timeout", 10)
    return requests.post(url + PATHS[operation], data=data,
                         headers={"Content-Type": "application/soap+xml; charset=utf-8"}, **kwargs)


def result(response: requests.Response) -> etree._Element:
    """The reply element inside nfeResultMsg."""
    assert response.status_code == 200, response.text
    root = etree.fromstring(response.content)
    message = root.find(f"{{{SOAP12}}}Body/*")
    assert message.tag.endswith("}nfeResultMsg") and message.tag.startswith(f"{{{WSDL}")
    return message[0]


@pytest.fixture
def sandbox(tmp_path):
    handle = start_sandbox(str(tmp_path / "sefaz.sqlite3"))
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """A CA, the server's certificate for 127.0.0.1, and two client e-CNPJs (the emitter's and another's)."""
    directory = tmp_path_factory.mktemp("pki")
    ca = make_identity("AC TESTE RAIZ", key_index=1, ca=True)
    server = make_identity("127.0.0.1", key_index=2, issuer=ca, san_ip="127.0.0.1")
    own = make_identity(f"EMPRESA TESTE LTDA:{CNPJ}", key_index=0, issuer=ca)
    other = make_identity("OUTRA EMPRESA LTDA:98765432000198", key_index=3, issuer=ca)
    ca_file, _ = ca.pem_files(directory)
    return {"ca": ca_file, "server": server.pem_files(directory), "own": own.pem_files(directory),
            "other": other.pem_files(directory), "own_identity": own}


@pytest.fixture
def tls_sandbox(tmp_path, pki):
    cert, key = pki["server"]
    handle = start_sandbox(str(tmp_path / "sefaz-tls.sqlite3"), tls=TlsConfig(cert=cert, key=key, client_ca=pki["ca"]))
    yield handle
    handle.stop()

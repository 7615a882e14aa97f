"""det (products and their taxes) and total of the NF-e, from the computed `ItemTaxes` and `Totals`."""

from decimal import Decimal

from nfelib.nfe.bindings.v4_0.dfe_tipos_basicos_v1_00 import TcibsNfe as Tcibs, TibscbsmonoTot, TtribNfe
from nfelib.nfe.bindings.v4_0.leiaute_nfe_v4_00 import Tipi, Tnfe

from sellers.documents import is_valid_gtin

from . import tax_tables
from .inputs import Item
from .money import fmt2, fmt4
from .taxes import ItemTaxes, TaxedDocument
from .text import nfe_text
from .totals import Totals

T = Tnfe.InfNfe
I = T.Det.Imposto  # noqa: E741
HOMOLOGATION_FIRST_ITEM = "NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL"
MOD_BC_OPERATION = "3"  # modBC: value of the operation
MOD_BCST_MVA = "4"  # modBCST: MVA (margem de valor agregado)


def details(taxed: TaxedDocument) -> list[T.Det]:
    doc = taxed.document
    return [
        T.Det(prod=_prod(doc, n, item, taxes), imposto=_imposto(item, taxes), nItem=str(n))
        for n, (item, taxes) in enumerate(zip(doc.items, taxed.items), start=1)
    ]


def gtin_or_none(gtin: str) -> str:
    """cEAN/cEANTrib: a GTIN with a valid check digit, else the literal the manual asks for."""
    return gtin if is_valid_gtin(gtin) else "SEM GTIN"


def _quantity(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.0001")))


def _unit_price(item: Item) -> str:
    return str((Decimal(item.total) / Decimal(item.quantity)).quantize(Decimal("0.0000000001")))


def _prod(doc, n: int, item: Item, taxes: ItemTaxes) -> T.Det.Prod:
    name = HOMOLOGATION_FIRST_ITEM if doc.environment == 2 and n == 1 else nfe_text(item.description, 120)
    behaviour = tax_tables.ICMS_BEHAVIOUR[item.rule.icms_cst]
    gtin, unit = gtin_or_none(item.gtin), nfe_text(item.unit, 6)
    return T.Det.Prod(
        cProd=nfe_text(item.code, 60), cEAN=gtin, xProd=name, NCM=item.ncm,
        CEST=item.cest or None if (behaviour.st or behaviour.st_retained) else None, CFOP=taxes.cfop,
        uCom=unit, qCom=_quantity(item.quantity), vUnCom=_unit_price(item), vProd=fmt2(item.total),
        cEANTrib=gtin, uTrib=unit, qTrib=_quantity(item.quantity), vUnTrib=_unit_price(item),
        vFrete=fmt2(taxes.shipping) if taxes.shipping else None,
        vDesc=fmt2(taxes.discount) if taxes.discount else None, indTot="1",
    )


def _imposto(item: Item, taxes: ItemTaxes) -> T.Det.Imposto:
    return I(
        vTotTrib=fmt2(taxes.total_taxes), ICMS=_icms(item, taxes), IPI=_ipi(item, taxes),
        PIS=_pis(item, taxes), COFINS=_cofins(item, taxes), ICMSUFDest=_difal(taxes), IBSCBS=_ibs_cbs(item, taxes),
    )


def _icms_fields(item: Item, t: ItemTaxes) -> dict:
    """Every field any ICMS group may take; `_icms` keeps the ones of the chosen group."""
    fields = {"orig": str(item.origin), "modBC": MOD_BC_OPERATION, "vBC": fmt2(t.icms_base),
              "pICMS": fmt4(t.icms_rate), "vICMS": fmt2(t.icms_value)}
    if t.icms_reduction:
        fields["pRedBC"] = fmt4(t.icms_reduction)
    if t.fcp_value:
        fields.update(vBCFCP=fmt2(t.icms_base), pFCP=fmt4(t.fcp_rate), vFCP=fmt2(t.fcp_value))
    if t.st_base:
        fields.update(modBCST=MOD_BCST_MVA, pMVAST=fmt4(t.st_mva), vBCST=fmt2(t.st_base),
                      pICMSST=fmt4(t.st_rate), vICMSST=fmt2(t.st_value))
    if t.fcp_st_value:
        fields.update(vBCFCPST=fmt2(t.st_base), pFCPST=fmt4(t.fcp_st_rate), vFCPST=fmt2(t.fcp_st_value))
    return fields


def _icms(item: Item, t: ItemTaxes) -> I.Icms:
    behaviour = tax_tables.ICMS_BEHAVIOUR[item.rule.icms_cst]
    cls = getattr(I.Icms, behaviour.group.capitalize())  # ICMS00 -> Icms00, ICMSSN102 -> Icmssn102
    allowed = set(cls.__dataclass_fields__)
    code_field = "CSOSN" if "CSOSN" in allowed else "CST"
    values = {k: v for k, v in _icms_fields(item, t).items() if k in allowed}
    if not behaviour.own:  # groups without own ICMS would reject an empty vBC/pICMS
        values = {k: v for k, v in values.items() if k not in ("modBC", "vBC", "pICMS", "vICMS")}
    if behaviour.credit:  # pCredSN/vCredICMSSN are mandatory in ICMSSN101/201, even at 0%
        values.update(pCredSN=fmt4(t.credit_rate), vCredICMSSN=fmt2(t.credit_value))
    return I.Icms(**{behaviour.group: cls(**values, **{code_field: item.rule.icms_cst})})


def _ipi(item: Item, t: ItemTaxes) -> Tipi | None:
    cst = item.rule.ipi_cst
    if not cst:
        return None
    if cst in tax_tables.IPI_TAXED_CSTS:
        trib = Tipi.Ipitrib(CST=cst, vBC=fmt2(t.ipi_base), pIPI=fmt4(item.rule.ipi_rate), vIPI=fmt2(t.ipi_value))
        return Tipi(cEnq=item.rule.ipi_cenq, IPITrib=trib)
    return Tipi(cEnq=item.rule.ipi_cenq, IPINT=Tipi.Ipint(CST=cst))


def _pis(item: Item, t: ItemTaxes) -> I.Pis:
    cst, group = item.rule.pis_cst, tax_tables.PIS_COFINS_GROUP[item.rule.pis_cst]
    if group == "NT":
        return I.Pis(PISNT=I.Pis.Pisnt(CST=cst))
    values = dict(CST=cst, vBC=fmt2(t.pis_base), pPIS=fmt4(item.rule.pis_rate), vPIS=fmt2(t.pis_value))
    return I.Pis(PISAliq=I.Pis.Pisaliq(**values)) if group == "Aliq" else I.Pis(PISOutr=I.Pis.Pisoutr(**values))


def _cofins(item: Item, t: ItemTaxes) -> I.Cofins:
    cst, group = item.rule.cofins_cst, tax_tables.PIS_COFINS_GROUP[item.rule.cofins_cst]
    if group == "NT":
        return I.Cofins(COFINSNT=I.Cofins.Cofinsnt(CST=cst))
    values = dict(CST=cst, vBC=fmt2(t.cofins_base), pCOFINS=fmt4(item.rule.cofins_rate), vCOFINS=fmt2(t.cofins_value))
    if group == "Aliq":
        return I.Cofins(COFINSAliq=I.Cofins.Cofinsaliq(**values))
    return I.Cofins(COFINSOutr=I.Cofins.Cofinsoutr(**values))


def _difal(t: ItemTaxes) -> I.Icmsufdest | None:
    d = t.difal
    if d is None:
        return None
    return I.Icmsufdest(
        vBCUFDest=fmt2(d.base), vBCFCPUFDest=fmt2(d.base) if d.fcp_rate else None,
        pFCPUFDest=fmt4(d.fcp_rate) if d.fcp_rate else None, pICMSUFDest=fmt4(d.dest_rate),
        pICMSInter=fmt2(d.inter_rate), pICMSInterPart="100.0000",
        vFCPUFDest=fmt2(d.fcp_value) if d.fcp_rate else None, vICMSUFDest=fmt2(d.icms_value), vICMSUFRemet="0.00",
    )


def _ibs_cbs(item: Item, t: ItemTaxes) -> TtribNfe | None:
    g = t.ibs_cbs
    if g is None:
        return None
    group = Tcibs(
        vBC=fmt2(g.base),
        gIBSUF=Tcibs.GIbsuf(pIBSUF=fmt4(g.ibs_uf_rate), vIBSUF=fmt2(g.ibs_uf_value)),
        gIBSMun=Tcibs.GIbsmun(pIBSMun=fmt4(g.ibs_mun_rate), vIBSMun=fmt2(g.ibs_mun_value)),
        vIBS=fmt2(g.ibs_value), gCBS=Tcibs.GCbs(pCBS=fmt4(g.cbs_rate), vCBS=fmt2(g.cbs_value)),
    )
    return TtribNfe(CST=item.rule.ibs_cbs_cst, cClassTrib=item.rule.ibs_cbs_class, gIBSCBS=group)


def total(s: Totals) -> T.Total:
    difal = {"vFCPUFDest": fmt2(s.vFCPUFDest), "vICMSUFDest": fmt2(s.vICMSUFDest), "vICMSUFRemet": "0.00"}
    icms_tot = T.Total.Icmstot(
        vBC=fmt2(s.vBC), vICMS=fmt2(s.vICMS), vICMSDeson="0.00", **(difal if s.has_difal else {}),
        vFCP=fmt2(s.vFCP), vBCST=fmt2(s.vBCST), vST=fmt2(s.vST), vFCPST=fmt2(s.vFCPST), vFCPSTRet="0.00",
        vProd=fmt2(s.vProd), vFrete=fmt2(s.vFrete), vSeg="0.00", vDesc=fmt2(s.vDesc), vII="0.00",
        vIPI=fmt2(s.vIPI), vIPIDevol="0.00", vPIS=fmt2(s.vPIS), vCOFINS=fmt2(s.vCOFINS), vOutro=fmt2(s.vOutro),
        vNF=fmt2(s.vNF), vTotTrib=fmt2(s.vTotTrib),
    )
    return T.Total(ICMSTot=icms_tot, IBSCBSTot=_ibs_cbs_total(s))


def _ibs_cbs_total(s: Totals) -> TibscbsmonoTot | None:
    if s.vBCIBSCBS is None:
        return None
    G = TibscbsmonoTot.GIbs
    ibs = G(
        gIBSUF=G.GIbsuf(vDif="0.00", vDevTrib="0.00", vIBSUF=fmt2(s.vIBSUF)),
        gIBSMun=G.GIbsmun(vDif="0.00", vDevTrib="0.00", vIBSMun=fmt2(s.vIBSMun)),
        vIBS=fmt2(s.vIBSUF + s.vIBSMun), vCredPres="0.00", vCredPresCondSus="0.00",
    )
    cbs = TibscbsmonoTot.GCbs(vDif="0.00", vDevTrib="0.00", vCBS=fmt2(s.vCBS), vCredPres="0.00", vCredPresCondSus="0.00")
    return TibscbsmonoTot(vBCIBSCBS=fmt2(s.vBCIBSCBS), gIBS=ibs, gCBS=cbs)

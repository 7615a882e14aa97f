"""total/ICMSTot (and IBSCBSTot) as exact sums of the items: SEFAZ rejects any difference of one cent."""

from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO, money
from .taxes import TaxedDocument


@dataclass(frozen=True)
class Totals:
    vBC: Decimal
    vICMS: Decimal
    vFCPUFDest: Decimal
    vICMSUFDest: Decimal
    vFCP: Decimal
    vBCST: Decimal
    vST: Decimal
    vFCPST: Decimal
    vProd: Decimal
    vFrete: Decimal
    vDesc: Decimal
    vIPI: Decimal
    vPIS: Decimal
    vCOFINS: Decimal
    vOutro: Decimal
    vNF: Decimal
    vTotTrib: Decimal
    vCredICMSSN: Decimal
    has_difal: bool
    vBCIBSCBS: Decimal | None
    vIBSUF: Decimal
    vIBSMun: Decimal
    vCBS: Decimal


def _sum(values) -> Decimal:
    return money(sum(values, ZERO))


def compute_totals(taxed: TaxedDocument) -> Totals:
    items, docs = taxed.items, taxed.document.items
    difals = [t.difal for t in items if t.difal]
    reform = [t.ibs_cbs for t in items if t.ibs_cbs]
    parts = dict(
        vBC=_sum(t.icms_base for t in items), vICMS=_sum(t.icms_value for t in items),
        vFCPUFDest=_sum(d.fcp_value for d in difals), vICMSUFDest=_sum(d.icms_value for d in difals),
        vFCP=_sum(t.fcp_value for t in items), vBCST=_sum(t.st_base for t in items),
        vST=_sum(t.st_value for t in items), vFCPST=_sum(t.fcp_st_value for t in items),
        vProd=_sum(money(i.total) for i in docs), vFrete=_sum(t.shipping for t in items),
        vDesc=_sum(t.discount for t in items), vIPI=_sum(t.ipi_value for t in items),
        vPIS=_sum(t.pis_value for t in items), vCOFINS=_sum(t.cofins_value for t in items), vOutro=ZERO,
        vTotTrib=_sum(t.total_taxes for t in items), vCredICMSSN=_sum(t.credit_value for t in items),
        has_difal=bool(difals), vBCIBSCBS=_sum(r.base for r in reform) if reform else None,
        vIBSUF=_sum(r.ibs_uf_value for r in reform), vIBSMun=_sum(r.ibs_mun_value for r in reform),
        vCBS=_sum(r.cbs_value for r in reform),
    )
    # MOC 4.01 rule W16-10: vNF = vProd - vDesc - vICMSDeson + vST + vFCPST + vFrete + vSeg + vOutro + vII + vIPI
    vnf = parts["vProd"] - parts["vDesc"] + parts["vST"] + parts["vFCPST"] + parts["vFrete"] + parts["vOutro"]
    return Totals(vNF=money(vnf + parts["vIPI"]), **parts)

"""A narrow tax engine for marketplace sales: ICMS (CST/CSOSN, ST, DIFAL+FCP), IPI, PIS/COFINS, IBS/CBS.

Every decision is a table lookup in `tax_tables`; the functions here only do arithmetic, with the one rounding
helper of `money`. Known limits (documented, not guessed): DIFAL uses the single base of LC 190/2022 for
non-contributors and is not charged for Simples Nacional emitters (STF ADI 5464); `vTotTrib` is the sum of the
taxes computed here because the IBPT tables are not available to us; IBS/CBS (2026 test rates) are left out of
`vTotTrib` and `vNF` since they are offset against PIS/COFINS.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from . import tax_tables as tables
from .errors import NfeBuildError
from .inputs import Item, NfeDocument, StateRates
from .money import HUNDRED, ZERO, apportion, money, percent_of


@dataclass(frozen=True)
class ItemTaxes:
    """Every value of one det/imposto, already rounded; zero where a tax does not apply."""

    cfop: str
    icms_cst: str
    shipping: Decimal = ZERO
    discount: Decimal = ZERO
    icms_base: Decimal = ZERO
    icms_reduction: Decimal = ZERO
    icms_rate: Decimal = ZERO
    icms_value: Decimal = ZERO
    fcp_rate: Decimal = ZERO
    fcp_value: Decimal = ZERO
    st_mva: Decimal = ZERO
    st_base: Decimal = ZERO
    st_rate: Decimal = ZERO
    st_value: Decimal = ZERO
    fcp_st_rate: Decimal = ZERO
    fcp_st_value: Decimal = ZERO
    credit_rate: Decimal = ZERO
    credit_value: Decimal = ZERO
    difal: "Difal | None" = None
    ipi_base: Decimal = ZERO
    ipi_value: Decimal = ZERO
    pis_base: Decimal = ZERO
    pis_value: Decimal = ZERO
    cofins_base: Decimal = ZERO
    cofins_value: Decimal = ZERO
    ibs_cbs: "IbsCbs | None" = None
    total_taxes: Decimal = ZERO  # vTotTrib


@dataclass(frozen=True)
class Difal:
    """ICMSUFDest: the destination state's share of an interstate sale to a non-contributor."""

    base: Decimal
    dest_rate: Decimal
    inter_rate: Decimal
    fcp_rate: Decimal
    icms_value: Decimal
    fcp_value: Decimal


@dataclass(frozen=True)
class IbsCbs:
    base: Decimal
    ibs_uf_rate: Decimal
    ibs_uf_value: Decimal
    ibs_mun_rate: Decimal
    ibs_mun_value: Decimal
    cbs_rate: Decimal
    cbs_value: Decimal

    @property
    def ibs_value(self) -> Decimal:
        return self.ibs_uf_value + self.ibs_mun_value


@dataclass(frozen=True)
class TaxedDocument:
    document: NfeDocument
    items: tuple[ItemTaxes, ...] = field(default_factory=tuple)


def interstate_rate(origin_uf: str, destination_uf: str, origin: int) -> Decimal:
    if origin in tables.IMPORTED_ORIGINS:
        return tables.IMPORTED_INTERSTATE_RATE
    key = (origin_uf in tables.SOUTH_SOUTHEAST_EXCEPT_ES, destination_uf in tables.SOUTH_SOUTHEAST_EXCEPT_ES)
    return tables.ROUTE_RATES[key]


def operation_rate(doc: NfeDocument, item: Item) -> Decimal:
    """The ICMS rate of the emitter on this sale: internal rate of its UF, or the interstate rate."""
    if doc.is_interstate:
        return interstate_rate(doc.emitter.address.uf, doc.recipient.address.uf, item.origin)
    return _rates(doc.emitter_rates, doc.emitter.address.uf).internal


def _rates(rates: StateRates | None, uf: str) -> StateRates:
    if rates is None:
        raise NfeBuildError(
            _("No ICMS rate registered for the state %(uf)s. Ask the agency to fill it in Fiscal > State tax rates.")
            % {"uf": uf},
            category="tax_data",
        )
    return rates


def compute_taxes(doc: NfeDocument) -> TaxedDocument:
    """Apportion shipping and discount over the items, then tax each item."""
    weights = [item.total for item in doc.items]
    shipping = apportion(doc.shipping, weights)
    discount = apportion(doc.discount, weights)
    taxed = tuple(
        tax_item(doc, item, shipping=s, discount=d) for item, s, d in zip(doc.items, shipping, discount)
    )
    return TaxedDocument(document=doc, items=taxed)


def tax_item(doc: NfeDocument, item: Item, *, shipping: Decimal, discount: Decimal) -> ItemTaxes:
    rule = item.rule
    cfop = rule.cfop_interstate if doc.is_interstate else rule.cfop_internal
    taxes = ItemTaxes(cfop=cfop, icms_cst=rule.icms_cst, shipping=money(shipping), discount=money(discount))
    operation = money(item.total) + taxes.shipping - taxes.discount
    taxes = _ipi(taxes, item, operation)
    taxes = _icms(taxes, doc, item, operation)
    taxes = _pis_cofins(taxes, item, operation - taxes.icms_value)
    taxes = _ibs_cbs(taxes, item, operation)
    return replace(taxes, total_taxes=_total_taxes(taxes))


def _ipi(taxes: ItemTaxes, item: Item, operation: Decimal) -> ItemTaxes:
    if item.rule.ipi_cst not in tables.IPI_TAXED_CSTS:
        return taxes
    return replace(taxes, ipi_base=operation, ipi_value=percent_of(operation, item.rule.ipi_rate))


def _icms(taxes: ItemTaxes, doc: NfeDocument, item: Item, operation: Decimal) -> ItemTaxes:
    behaviour = tables.ICMS_BEHAVIOUR[item.rule.icms_cst]
    # CF art. 155 §2 XI: IPI is part of the ICMS base when the buyer is the final consumer.
    gross = operation + (taxes.ipi_value if doc.final_consumer else ZERO)
    if behaviour.own:
        taxes = _own_icms(taxes, doc, item, gross, behaviour)
    if behaviour.credit:
        rate = doc.emitter.simples_credit_rate
        taxes = replace(taxes, credit_rate=rate, credit_value=percent_of(operation, rate))
    if behaviour.st:
        taxes = _icms_st(taxes, doc, item, gross)
    if behaviour.own and _difal_applies(doc):
        taxes = replace(taxes, difal=_difal(taxes, doc))
    return taxes


def _own_icms(taxes: ItemTaxes, doc: NfeDocument, item: Item, gross: Decimal, behaviour) -> ItemTaxes:
    reduction = item.rule.icms_base_reduction if behaviour.reduction else ZERO
    base = money(gross * (HUNDRED - reduction) / HUNDRED)
    rate = operation_rate(doc, item)
    # FCP of the emitter's own state applies to internal sales; on interstate ones it goes to ICMSUFDest.
    fcp_rate = ZERO if doc.is_interstate else _rates(doc.emitter_rates, doc.emitter.address.uf).fcp
    return replace(
        taxes, icms_base=base, icms_reduction=reduction, icms_rate=rate, icms_value=percent_of(base, rate),
        fcp_rate=fcp_rate, fcp_value=percent_of(base, fcp_rate),
    )


def _icms_st(taxes: ItemTaxes, doc: NfeDocument, item: Item, gross: Decimal) -> ItemTaxes:
    """ST by MVA (modBCST 4): base × (1 + MVA), at the destination's internal rate, minus the own ICMS."""
    dest = _rates(doc.destination_rates, doc.recipient.address.uf)
    st_base = money(gross * (HUNDRED + item.rule.icms_st_mva) / HUNDRED)
    # Simples emitters have no own ICMS in the note; the deduction is the ICMS the operation would bear.
    own = taxes.icms_value if taxes.icms_base else percent_of(gross, operation_rate(doc, item))
    st_value = max(percent_of(st_base, dest.internal) - own, ZERO)
    return replace(
        taxes, st_mva=item.rule.icms_st_mva, st_base=st_base, st_rate=dest.internal, st_value=st_value,
        fcp_st_rate=dest.fcp, fcp_st_value=percent_of(st_base, dest.fcp),
    )


def _difal_applies(doc: NfeDocument) -> bool:
    return doc.is_interstate and doc.recipient.ie_indicator == 9 and not doc.emitter.is_simples


def _difal(taxes: ItemTaxes, doc: NfeDocument) -> Difal:
    dest = _rates(doc.destination_rates, doc.recipient.address.uf)
    base = taxes.icms_base
    icms = max(percent_of(base, dest.internal - taxes.icms_rate), ZERO)
    return Difal(
        base=base, dest_rate=dest.internal, inter_rate=taxes.icms_rate, fcp_rate=dest.fcp,
        icms_value=icms, fcp_value=percent_of(base, dest.fcp),
    )


def _pis_cofins(taxes: ItemTaxes, item: Item, base: Decimal) -> ItemTaxes:
    """Base without the own ICMS (STF RE 574.706, Tema 69)."""
    rule = item.rule
    if tables.PIS_COFINS_GROUP.get(rule.pis_cst) != "NT":
        taxes = replace(taxes, pis_base=base, pis_value=percent_of(base, rule.pis_rate))
    if tables.PIS_COFINS_GROUP.get(rule.cofins_cst) != "NT":
        taxes = replace(taxes, cofins_base=base, cofins_value=percent_of(base, rule.cofins_rate))
    return taxes


def _ibs_cbs(taxes: ItemTaxes, item: Item, operation: Decimal) -> ItemTaxes:
    """NT 2025.002: base = operation value minus ICMS, FCP, DIFAL, PIS and COFINS (LC 214/2025 art. 12)."""
    if not item.rule.ibs_cbs_enabled:
        return taxes
    difal = taxes.difal.icms_value + taxes.difal.fcp_value if taxes.difal else ZERO
    base = operation - taxes.icms_value - taxes.fcp_value - difal - taxes.pis_value - taxes.cofins_value
    group = IbsCbs(
        base=base,
        ibs_uf_rate=tables.IBS_UF_TEST_RATE, ibs_uf_value=percent_of(base, tables.IBS_UF_TEST_RATE),
        ibs_mun_rate=tables.IBS_MUN_TEST_RATE, ibs_mun_value=percent_of(base, tables.IBS_MUN_TEST_RATE),
        cbs_rate=tables.CBS_TEST_RATE, cbs_value=percent_of(base, tables.CBS_TEST_RATE),
    )
    return replace(taxes, ibs_cbs=group)


def _total_taxes(t: ItemTaxes) -> Decimal:
    difal = t.difal.icms_value + t.difal.fcp_value if t.difal else ZERO
    return (
        t.icms_value + t.fcp_value + t.st_value + t.fcp_st_value + t.ipi_value + t.pis_value + t.cofins_value
        + difal
    )

"""SEFAZ's cStat turned into the pre-flight category, a pt-BR message that says what to fix, and whether a retry helps.

Texts adapted from the sped-nfe cStat table (MIT) and the Manual de Orientação do Contribuinte. Codes not in the
table fall back on their range: 1xx are service states (retry), 2xx-8xx rejections, 3xx denials (final).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiscal.models import ErrorCategory as C


@dataclass(frozen=True)
class Explanation:
    category: C
    message: str
    retryable: bool


M = gettext_lazy  # the table is built at import time; messages are translated when explained
_CERTIFICATE = M("SEFAZ refused the A1 certificate (expired, revoked, of another CNPJ or outside ICP-Brasil). "
                 "Upload a valid certificate of your CNPJ in Settings > Credentials; the NF-e is then sent again.")
_BUILD = M("The NF-e was built with an error on our side. The agency's support has been notified and will send it "
           "again; you do not need to do anything.")
_TOTALS = M("The NF-e totals do not add up (our calculation). The agency's support has been notified and will "
            "send it again; you do not need to do anything.")
_CLOCK = M("The issue date was refused by SEFAZ (too old or in the future). The NF-e will be rebuilt with the "
           "current time automatically.")
_BUYER_IE = M("The buyer's state registration (IE) is wrong or not linked to their CNPJ. Correct it or mark the "
              "buyer as not an ICMS taxpayer in Orders > order > Buyer.")
_BUYER_DOC = M("The buyer's CPF/CNPJ is invalid. Correct it in Orders > order > Buyer.")
_BUYER_CITY = M("The buyer's municipality (IBGE code) does not match the state. Choose the municipality from the "
                "list in Orders > order > Address.")
_SELLER_PROFILE = M("Your company data (IE or municipality) is wrong in the NF-e. The agency's support must correct "
                    "your fiscal profile in the admin.")
_DENIED_SELLER = M("SEFAZ denied the NF-e because your company is irregular with the state. The number is used "
                   "and cannot be reused; talk to your accountant, then the agency's support.")
_DENIED_BUYER = M("SEFAZ denied the NF-e because the buyer is irregular or not allowed in the state. The number is "
                  "used; contact the buyer and the agency's support.")
_DUPLICATE = M("SEFAZ already has this NF-e number. The agency's support will reconcile it; the series is paused "
               "until then.")
_HOMOLOGATION = M("In the test environment the buyer name must be the legal test text. The agency's support will "
                  "fix the configuration.")
_DIFAL = M("The DIFAL/interstate ICMS data was refused (rates, origin or consumer flag). Check the origin of the "
           "products and the tax group in Settings > Tax groups, or ask your accountant.")
_NCM = M("The NCM of a product is incomplete or does not exist in the official table. Correct the NCM in "
         "Products (the codes change; use the current table).")
_CEST = M("A product under ICMS-ST has no CEST. Enter the CEST in Products and check the tax group.")
_UNAVAILABLE = M("SEFAZ is unavailable for now. The NF-e will be sent again automatically.")
_THROTTLED = M("SEFAZ asked us to slow down (too many queries). The NF-e will be sent again automatically in an hour.")
_SCHEMA = M("The NF-e did not pass SEFAZ's schema check. The agency's support has been notified; you do not need to "
            "do anything.")

RULES: dict[str, tuple[C, object, bool]] = {
    "108": (C.SEFAZ, _UNAVAILABLE, True), "109": (C.SEFAZ, _UNAVAILABLE, True),
    "110": (C.TAX_DATA, _DENIED_SELLER, False),
    "204": (C.INTERNAL, _DUPLICATE, False), "539": (C.INTERNAL, _DUPLICATE, False),
    "208": (C.BUYER_ADDRESS, _BUYER_DOC, False), "237": (C.BUYER_ADDRESS, _BUYER_DOC, False),
    "209": (C.INTERNAL, _SELLER_PROFILE, False), "272": (C.INTERNAL, _SELLER_PROFILE, False),
    "273": (C.INTERNAL, _SELLER_PROFILE, False),
    "270": (C.INTERNAL, _SELLER_PROFILE, False), "271": (C.INTERNAL, _SELLER_PROFILE, False),
    "509": (C.BUYER_ADDRESS, _BUYER_CITY, False),
    "213": (C.CREDENTIALS, _CERTIFICATE, False),
    "225": (C.INTERNAL, _SCHEMA, False), "238": (C.INTERNAL, _BUILD, False), "239": (C.INTERNAL, _BUILD, False),
    "297": (C.INTERNAL, _BUILD, False), "298": (C.INTERNAL, _BUILD, False), "502": (C.INTERNAL, _BUILD, False),
    "228": (C.INTERNAL, _CLOCK, True), "703": (C.INTERNAL, _CLOCK, True),
    "233": (C.BUYER_ADDRESS, _BUYER_IE, False), "234": (C.BUYER_ADDRESS, _BUYER_IE, False),
    "235": (C.BUYER_ADDRESS, _BUYER_IE, False),
    **{str(c): (C.BUYER_ADDRESS, _BUYER_CITY, False) for c in range(274, 280)},
    **{str(c): (C.CREDENTIALS, _CERTIFICATE, False) for c in (281, 282, 283, 284, 285, 286, 290, 291)},
    "301": (C.TAX_DATA, _DENIED_SELLER, False),
    "302": (C.BUYER_ADDRESS, _DENIED_BUYER, False), "303": (C.BUYER_ADDRESS, _DENIED_BUYER, False),
    **{str(c): (C.INTERNAL, _TOTALS, False) for c in (531, 532, 533, 534, 535, 564, 610)},
    "598": (C.INTERNAL, _HOMOLOGATION, False),
    "656": (C.SEFAZ, _THROTTLED, True),
    **{str(c): (C.TAX_DATA, _DIFAL, False) for c in (694, 696, 697, 698)},
    "777": (C.FISCAL_ATTRIBUTES, _NCM, False), "778": (C.FISCAL_ATTRIBUTES, _NCM, False),
    "793": (C.FISCAL_ATTRIBUTES, _NCM, False),
    "806": (C.FISCAL_ATTRIBUTES, _CEST, False),
}


def _default(code: int, xmotivo: str) -> Explanation:
    if 100 <= code < 200 or code == 999:
        return Explanation(C.SEFAZ, _("SEFAZ answered %(cstat)s (%(reason)s). We will ask again automatically.")
                           % {"cstat": code, "reason": xmotivo}, True)
    if 300 <= code < 400:
        return Explanation(C.TAX_DATA, _("SEFAZ denied the NF-e (%(cstat)s: %(reason)s). The number is used; the "
                                         "agency's support will contact you.") % {"cstat": code, "reason": xmotivo}, False)
    return Explanation(C.INTERNAL, _("SEFAZ rejected the NF-e (%(cstat)s: %(reason)s). The agency's support has been "
                                     "notified and will tell you what to fix.") % {"cstat": code, "reason": xmotivo}, False)


def explain_rejection(cstat: str, xmotivo: str = "") -> Explanation:
    """What a SEFAZ answer means for the seller; unknown codes get their range's default."""
    code = str(cstat).strip()
    if code in RULES:
        category, message, retryable = RULES[code]
        return Explanation(category, str(message), retryable)
    return _default(int(code) if code.isdigit() else 0, xmotivo)

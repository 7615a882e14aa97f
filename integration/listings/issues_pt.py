"""Amazon listing issue codes explained in Portuguese where we know what they mean and how to fix them;
otherwise Amazon's own message (requested with issueLocale=pt_BR) is shown as it came."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Codes and meanings from the examples and descriptions in listingsItems_2021-08-01.json.
EXPLANATIONS = {
    "90220": gettext_noop("Amazon requires the attribute %(attributes)s for this product type and it was not sent. "
                          "Fill it in on the product's page, or in Seller Central, and submit the offer again."),
    "90000900": gettext_noop("Amazon found invalid values in %(attributes)s. Check the price (above zero) and the "
                             "fulfillment channel, then submit again."),
    "18155": gettext_noop("The minimum price is above the selling price. Lower the minimum price or raise the price "
                          "in Seller Central > Manage inventory."),
    "18027": gettext_noop("The main image has text, a logo or a watermark, which Amazon forbids for this product type. "
                          "Replace the main image in Seller Central to lift the suppression."),
    "18742": gettext_noop("Amazon removed the listing under its restricted products policy. Open the case in "
                          "Seller Central > Account Health to appeal."),
    "99300": gettext_noop("Amazon suppressed an attribute for inaccurate product detail page information. Correct "
                          "the product data in Seller Central and submit again."),
}


def explain(issue: dict) -> str:
    template = EXPLANATIONS.get(str(issue.get("code", "")))
    if template is None:
        return issue.get("message", "")
    return _(template) % {"attributes": ", ".join(issue.get("attributeNames") or []) or "-"}


def explain_all(issues: list[dict]) -> list[dict]:
    """The issues with an `explanation` in the active language next to Amazon's own fields."""
    return [{**issue, "explanation": explain(issue)} for issue in issues]

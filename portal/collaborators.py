"""Services other modules provide, looked up when called so a page still renders before they land.

Each name is the documented one; `None` means "not installed yet" and the caller shows a plain message.
"""

from importlib import import_module


def optional(dotted: str):
    module_name, attr = dotted.rsplit(".", 1)
    try:
        return getattr(import_module(module_name), attr)
    except (ImportError, AttributeError):
        return None


def run_preflight():
    return optional("fiscal.preflight.run_preflight")


def product_fiscal_issues():
    return optional("products.fiscal_validation.product_fiscal_issues")


def update_fiscal_attributes():
    return optional("products.fiscal_validation.update_fiscal_attributes")


def bulk_module():
    try:
        return import_module("products.bulk")
    except ImportError:
        return None


def render_danfe():
    return optional("fiscal.danfe.render_danfe")


def resend_order():
    return optional("orders.services.resend_order")


def consent_url():
    return optional("integration.authorization.consent_url")


def complete_authorization():
    return optional("integration.authorization.complete_authorization")


def test_connection():
    return optional("integration.authorization.test_connection")


def preview_hybrid_removal():
    return optional("integration.listings.hybrids.preview_removal")


def remove_hybrids():
    return optional("integration.listings.hybrids.remove_hybrids")


def export_month():
    return optional("fiscal.export.export_month")

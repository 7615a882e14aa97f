"""Everything a seller reads is in Portuguese: every gettext string of the product has a pt-BR translation."""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["sellers", "products", "orders", "fiscal", "integration", "portal"]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext", "gettext_noop"}
TEMPLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
CATALOG = ROOT / "locale" / "pt_BR" / "LC_MESSAGES" / "django.mo"


def _python_msgids(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in GETTEXT_NAMES:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.args[0].value


def _msgids() -> dict[str, str]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found.update({msgid: str(path.relative_to(ROOT)) for msgid in _python_msgids(path)})
    for path in (ROOT / "templates").rglob("*.html"):
        found.update({m.group(2): str(path.relative_to(ROOT)) for m in TEMPLATE_TAG.finditer(path.read_text())})
    return found


def test_every_product_string_has_a_portuguese_translation():
    if not CATALOG.exists():
        pytest.fail("locale/pt_BR/LC_MESSAGES/django.mo is missing: run `make messages`")
    catalog = gettext.GNUTranslations(CATALOG.open("rb"))._catalog  # noqa: SLF001 - the msgids it holds
    # ngettext entries are keyed (msgid, plural index) in a compiled catalog
    missing = {m: where for m, where in _msgids().items() if m and m not in catalog and (m, 0) not in catalog}
    assert not missing, "untranslated: " + "; ".join(f"{w}: {m!r}" for m, w in sorted(missing.items(), key=lambda i: i[1]))

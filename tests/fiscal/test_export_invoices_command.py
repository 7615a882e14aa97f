"""`export_invoices SELLER --month YYYY-MM --out DIR`: the accountant's month on disk."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fiscal.models import Invoice
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _authorized(seller, number, when):
    return Invoice.objects.create(
        seller=seller, order=OrderFactory(seller=seller), environment=2, series=1, number=number,
        access_key=f"{number:044d}", cnf="12345678", issued_at=when, status="authorized", authorized_at=when,
        signed_xml=b"<NFe/>", authorized_xml=f"<nfeProc>{number}</nfeProc>".encode(), digest_value="x",
    )


def test_the_month_of_one_seller_is_written_with_its_summary(tmp_path, seller_a, seller_b):
    _authorized(seller_a, 1, datetime(2026, 11, 30, 22, 0, tzinfo=SAO_PAULO))  # 01:00 UTC on 1 Dec: still November
    _authorized(seller_a, 2, datetime(2026, 12, 1, 9, 0, tzinfo=SAO_PAULO))
    _authorized(seller_b, 3, datetime(2026, 11, 10, 9, 0, tzinfo=SAO_PAULO))
    call_command("export_invoices", seller_a.cnpj, "--month", "2026-11", "--out", str(tmp_path), stdout=StringIO())
    assert sorted(p.name for p in (tmp_path / "xml").iterdir()) == [f"{1:044d}-procNFe.xml"]
    summary = (tmp_path / "resumo.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(summary) == 2 and summary[1].startswith("1;1;")


def test_a_malformed_month_is_refused(tmp_path, seller_a):
    with pytest.raises(CommandError):
        call_command("export_invoices", str(seller_a.pk), "--month", "2026-13", "--out", str(tmp_path))

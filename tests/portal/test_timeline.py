"""The order page's timeline shows the SEFAZ answers and the Amazon exchanges with their São Paulo time."""

from datetime import datetime, timezone as dt_timezone

from django.urls import reverse

from fiscal.models import InvoiceEvent


def test_amazon_and_sefaz_exchanges_appear_with_their_sao_paulo_time(client_a, world_a):
    invoice = world_a["invoice"]
    amazon = InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.AMAZON,
                                         message="submitInvoice: Processing")
    sefaz = InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.SEFAZ, cstat="204",
                                        message="Duplicidade de NF-e")
    InvoiceEvent.objects.filter(pk=amazon.pk).update(created_at=datetime(2026, 3, 1, 2, 5, tzinfo=dt_timezone.utc))
    InvoiceEvent.objects.filter(pk=sefaz.pk).update(created_at=datetime(2026, 3, 1, 14, 0, tzinfo=dt_timezone.utc))

    body = client_a.get(reverse("portal:order_detail", args=[world_a["order"].pk])).content.decode()

    assert "28/02/2026 23:05" in body and "submitInvoice: Processing" in body  # UTC−3: the day before
    assert "01/03/2026 11:00" in body and "204 Duplicidade de NF-e" in body
    assert body.index("submitInvoice: Processing") < body.index("204 Duplicidade de NF-e")

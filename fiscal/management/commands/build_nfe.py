"""Support tool: write the NF-e XML that would be sent for an order, without reserving a number or storing anything."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fiscal.nfe.access_key import random_cnf
from fiscal.nfe.build import build_nfe_xml
from fiscal.nfe.errors import NfeBuildError, NfeSchemaError
from fiscal.nfe.from_order import document_for_order
from fiscal.nfe.issue import prepare_signed_nfe
from orders.models import Order

PREVIEW_NUMBER = 999_999_999


class Command(BaseCommand):
    help = (
        "Write the NF-e XML that would be sent for ORDER_ID (database id). The number is NOT reserved from the "
        "seller's series and nothing is stored: the file is for inspection only, never send it to SEFAZ."
    )

    def add_arguments(self, parser):
        parser.add_argument("order_id", type=int)
        parser.add_argument("--out", required=True, help="file to write the XML to")
        parser.add_argument("--sign", action="store_true", help="sign with the seller's active certificate and validate")
        parser.add_argument(
            "--number", type=int, default=PREVIEW_NUMBER,
            help=f"nNF to print in the preview (not reserved; default {PREVIEW_NUMBER})",
        )

    def handle(self, *args, order_id, out, sign, number, **options):
        if not 1 <= number <= 999_999_999:
            raise CommandError("--number must be between 1 and 999999999")
        order = Order.objects.select_related("seller").filter(pk=order_id).first()
        if order is None:
            raise CommandError(f"order {order_id} not found")
        environment = order.seller.nfe_environment
        try:
            xml = self._xml(order, number=number, environment=environment, sign=sign)
        except NfeBuildError as exc:
            raise CommandError(f"{exc.category}: {exc.message}") from exc
        except NfeSchemaError as exc:
            raise CommandError("XSD: " + "; ".join(exc.errors)) from exc
        with open(out, "wb") as handle:
            handle.write(xml)
        self.stdout.write(f"wrote {out} ({len(xml)} bytes, number {number}, not reserved)")

    def _xml(self, order, *, number: int, environment: int, sign: bool) -> bytes:
        series = order.seller.nfe_series
        if sign:
            return prepare_signed_nfe(order, series=series, number=number, environment=environment).xml
        issued_at = timezone.now().replace(microsecond=0)
        doc = document_for_order(
            order, series=series, number=number, cnf=random_cnf(number), issued_at=issued_at, environment=environment,
        )
        return build_nfe_xml(doc)

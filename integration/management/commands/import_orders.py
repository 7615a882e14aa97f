from django.core.management.base import BaseCommand, CommandError

from integration.orders_import import import_orders
from sellers.models import AmazonAuthorization


class Command(BaseCommand):
    help = "Sweep one seller's Amazon orders now (SELLER = selling partner id or seller id)."

    def add_arguments(self, parser):
        parser.add_argument("seller")

    def handle(self, *args, seller, **options):
        lookup = {"seller_id": int(seller)} if seller.isdigit() else {"selling_partner_id": seller}
        authorization = AmazonAuthorization.objects.filter(**lookup).select_related("seller").first()
        if authorization is None:
            raise CommandError(f"no Amazon authorization for {seller}")
        result = import_orders(authorization.seller)
        self.stdout.write(f"pages={result.pages} seen={result.seen} created={result.created} updated={result.updated} "
                          f"stale={result.stale} cancelled={result.cancelled} complete={result.complete} "
                          f"error={result.error or '-'}")

"""django-filter sets for the API; `seller` narrows staff queries (a seller token is already scoped)."""

from datetime import timezone as dt_timezone

import django_filters
from rest_framework.exceptions import ValidationError

from fiscal.models import Invoice
from orders.models import Order
from products.models import Offer, Product


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset, sent to PostgreSQL in UTC (it refuses offsets beyond ±15 h, e.g. "+22:43")."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(dt_timezone.utc)
            except OverflowError:  # e.g. 0001-01-01T00:00+14:00 is before year 1 in UTC
                raise ValidationError({self.field_name: ["Date out of range."]})
        return super().filter(qs, value)


class SellerFilterSet(django_filters.FilterSet):
    seller = django_filters.NumberFilter(field_name="seller_id", help_text="Staff: only this seller's objects.")


class ProductFilter(SellerFilterSet):
    fiscal_incomplete = django_filters.BooleanFilter(method="filter_fiscal_incomplete")

    class Meta:
        model = Product
        fields = ["seller", "sku", "asin", "ncm", "active"]

    def filter_fiscal_incomplete(self, queryset, name, value):
        return queryset.fiscal_incomplete() if value else queryset.fiscal_complete()


class OfferFilter(SellerFilterSet):
    class Meta:
        model = Offer
        fields = ["seller", "sku", "asin", "is_hybrid", "is_fba_onsite", "fulfillment_channel"]


class OrderFilter(SellerFilterSet):
    purchased_after = UtcDateTimeFilter(field_name="purchase_date", lookup_expr="gte")
    purchased_before = UtcDateTimeFilter(field_name="purchase_date", lookup_expr="lt")

    class Meta:
        model = Order
        fields = ["seller", "amazon_order_id", "preflight_status", "amazon_status"]


class InvoiceFilter(SellerFilterSet):
    class Meta:
        model = Invoice
        fields = ["seller", "order", "status", "amazon_status", "series", "number", "access_key", "error_category"]

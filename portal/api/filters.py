"""django-filter sets for the API; `seller` narrows staff queries (a seller token is already scoped)."""

import django_filters

from fiscal.models import Invoice
from orders.models import Order
from products.models import Offer, Product


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
    purchased_after = django_filters.IsoDateTimeFilter(field_name="purchase_date", lookup_expr="gte")
    purchased_before = django_filters.IsoDateTimeFilter(field_name="purchase_date", lookup_expr="lt")

    class Meta:
        model = Order
        fields = ["seller", "amazon_order_id", "preflight_status", "amazon_status"]


class InvoiceFilter(SellerFilterSet):
    class Meta:
        model = Invoice
        fields = ["seller", "order", "status", "amazon_status", "series", "number", "access_key", "error_category"]

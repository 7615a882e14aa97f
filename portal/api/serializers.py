"""API shapes. Credentials expose dates only, never the secrets (refresh token, .pfx, password)."""

from django.urls import reverse
from rest_framework import serializers

from fiscal.models import Invoice
from integration.listings.models import HybridRemoval
from orders.models import Order, OrderItem
from products.fiscal_validation import product_fiscal_issues
from products.models import Offer, Origin, Product, TaxGroup
from sellers.models import AmazonAuthorization, Certificate, Seller

from ..checklist import invoicing_allowed
from ..issues import issue_dict
from ..models import WebhookDelivery, WebhookEndpoint
from ..webhooks import SUBSCRIBABLE_EVENTS, validate_endpoint_url


class SellerSerializer(serializers.ModelSerializer):
    invoicing_allowed = serializers.SerializerMethodField()

    class Meta:
        model = Seller
        fields = ["id", "legal_name", "trade_name", "cnpj", "ie", "crt", "uf", "nfe_environment", "nfe_series",
                  "active", "invoicing_override", "invoicing_allowed"]
        read_only_fields = fields

    def get_invoicing_allowed(self, seller) -> bool:
        return invoicing_allowed(seller)


class ProductSerializer(serializers.ModelSerializer):
    fiscal_issues = serializers.SerializerMethodField(help_text="Result of the same validation as pre-flight.")

    class Meta:
        model = Product
        fields = ["id", "seller", "sku", "asin", "title", "gtin", "unit", "ncm", "cest", "origin", "tax_group",
                  "active", "fiscal_issues", "fiscal_checked_at", "updated_at"]
        read_only_fields = fields

    def get_fiscal_issues(self, product) -> list[dict]:
        return [issue_dict(issue) for issue in product_fiscal_issues(product)]


class ProductFiscalSerializer(serializers.Serializer):
    """PATCH body: the four fiscal attributes, all required together (the service validates them as one)."""

    ncm = serializers.RegexField(r"^\d{8}$", max_length=8)
    cest = serializers.RegexField(r"^\d{7}$", max_length=7, required=False, allow_blank=True, default="")
    origin = serializers.ChoiceField(choices=Origin.choices)
    tax_group = serializers.PrimaryKeyRelatedField(queryset=TaxGroup.objects.none())

    def __init__(self, *args, seller: Seller | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if seller is not None:  # None only when drf-spectacular builds the schema
            self.fields["tax_group"].queryset = TaxGroup.objects.for_seller(seller)


class OfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offer
        fields = ["id", "seller", "product", "sku", "asin", "fulfillment_channel", "is_fba_onsite", "status",
                  "quantity", "price", "is_hybrid", "synced_at"]
        read_only_fields = fields


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["order_item_id", "sku", "asin", "title", "product", "quantity", "item_price", "shipping_price", "discount"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    invoices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "seller", "amazon_order_id", "shipment_id", "amazon_status", "purchase_date", "buyer_name",
                  "city_name", "uf", "order_total", "preflight_status", "preflight_issues", "preflight_checked_at",
                  "items", "invoices"]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    xml_url = serializers.SerializerMethodField()
    danfe_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "seller", "order", "environment", "series", "number", "access_key", "status", "issued_at",
                  "total", "protocol", "authorized_at", "cstat", "xmotivo", "error_category", "error_message",
                  "amazon_status", "amazon_error", "amazon_submitted_at", "amazon_accepted_at", "xml_url", "danfe_url"]
        read_only_fields = fields

    def _url(self, invoice, name) -> str | None:
        if not invoice.authorized_xml:
            return None
        return self.context["request"].build_absolute_uri(reverse(name, args=[invoice.pk]))

    def get_xml_url(self, invoice) -> str | None:
        return self._url(invoice, "api:invoice-xml")

    def get_danfe_url(self, invoice) -> str | None:
        return self._url(invoice, "api:invoice-danfe")


class CertificateSerializer(serializers.ModelSerializer):
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "seller", "subject_name", "subject_cnpj", "issuer_name", "serial_number", "not_before",
                  "not_after", "days_left", "active", "uploaded_at"]
        read_only_fields = fields

    def get_days_left(self, cert) -> int:
        return cert.days_left()


class AmazonAuthorizationSerializer(serializers.ModelSerializer):
    expires_at = serializers.DateTimeField(read_only=True)
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = AmazonAuthorization
        fields = ["id", "seller", "selling_partner_id", "state", "authorized_at", "expires_at", "days_left",
                  "last_success_at", "last_checked_at", "last_error"]
        read_only_fields = fields

    def get_days_left(self, auth) -> int:
        return auth.days_left()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ResendResultSerializer(serializers.Serializer):
    resent = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    error = serializers.DictField()


class HybridRemovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = HybridRemoval
        fields = ["id", "sku", "asin", "fulfillment_channel", "action", "outcome", "submission_id", "error", "requested_at"]
        read_only_fields = fields


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """The secret is not a field: only the create response carries it (WebhookEndpointCreatedSerializer)."""

    url = serializers.URLField(max_length=500, validators=[validate_endpoint_url],
                               help_text="HTTPS only (http://127.0.0.1 or localhost only when the server runs with DEBUG).")
    events = serializers.ListField(child=serializers.ChoiceField(choices=SUBSCRIBABLE_EVENTS), required=False,
                                   default=list, help_text="Empty: every event.")
    seller = serializers.PrimaryKeyRelatedField(queryset=Seller.objects.all(), required=False,
                                                help_text="Staff only (required for them); members always get their own seller.")

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "seller", "url", "events", "active", "created_at"]
        read_only_fields = ["id", "active", "created_at"]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Signs every delivery. Shown in this response only, never again.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = WebhookEndpointSerializer.Meta.fields + ["secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    # Plain strings rather than enums: the choice sets would collide with other `status`/`event` enums in the schema.
    event = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, delivered, retrying or failed (gave up).")

    class Meta:
        model = WebhookDelivery
        fields = ["id", "endpoint", "event", "payload", "status", "attempts", "next_attempt_at", "response_status",
                  "response_body", "last_error", "replay_of", "created_at", "delivered_at"]
        read_only_fields = fields

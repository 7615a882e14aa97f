"""REST API views: every queryset is scoped (staff: all sellers, `?seller=` narrows; members: their seller only)."""

from django.contrib.auth import authenticate
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fiscal.models import Invoice
from fiscal.preflight import run_preflight
from integration.listings.hybrids import remove_hybrids
from integration.listings.models import HybridRemoval
from orders.models import Order
from orders.services import resend_order
from products.fiscal_validation import update_fiscal_attributes
from products.models import Offer, Product
from sellers.models import AmazonAuthorization, Certificate, Seller

from . import filters, serializers
from ..models import WebhookEndpoint
from ..webhooks import create_endpoint, delete_endpoint
from ..views.orders import danfe_or_none
from ..issues import issue_attr
from .errors import error_response
from .permissions import IsSellerMemberOrStaff, membership


def scoped(request, manager):
    """Staff see every seller; a member sees only their own seller's rows (someone else's id is a 404)."""
    if request.user.is_staff:
        return manager.all()
    member = membership(request.user)
    return manager.for_seller(member.seller) if member else manager.none()


class ScopedViewSet(viewsets.GenericViewSet):
    permission_classes = [IsSellerMemberOrStaff]
    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return scoped(self.request, self.model.objects).order_by("pk")


class TokenView(APIView):
    """Username and password in, `{"token": ...}` out; failures count towards the axes lockout."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=serializers.TokenRequestSerializer, responses={200: serializers.TokenSerializer, 400: serializers.ErrorSerializer})
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active:
            return error_response("invalid_credentials", _("Wrong username or password."), http_status=400)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class SellerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff list every seller; a member sees only their own seller's record."""

    permission_classes = [IsSellerMemberOrStaff]
    serializer_class = serializers.SellerSerializer

    def get_queryset(self):
        sellers = Seller.objects.order_by("pk")
        if getattr(self, "swagger_fake_view", False) or self.request.user.is_staff:
            return sellers
        member = membership(self.request.user)
        return sellers.filter(pk=member.seller_id) if member else sellers.none()


class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    model = Product
    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilter
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(request=serializers.ProductFiscalSerializer, responses={200: serializers.ProductSerializer, 400: serializers.ErrorSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change NCM/CEST/origin/tax group through the same validation as pre-flight; nothing saved on issues."""
        product = self.get_object()
        body = serializers.ProductFiscalSerializer(data=request.data, partial=True, seller=product.seller)
        body.is_valid(raise_exception=True)
        values = {"ncm": product.ncm, "cest": product.cest, "origin": product.origin, "tax_group": product.tax_group}
        issues = update_fiscal_attributes(product, **{**values, **body.validated_data})
        if issues:
            fields = {}
            for issue in issues:
                fields.setdefault(issue_attr(issue, "field") or "non_field_errors", []).append(issue_attr(issue, "message"))
            return error_response("fiscal_issues", _("The fiscal data has problems: see `fields`."), http_status=400, fields=fields)
        product.refresh_from_db()
        return Response(self.get_serializer(product).data)


class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Offer
    serializer_class = serializers.OfferSerializer
    filterset_class = filters.OfferFilter

    @extend_schema(request=None, responses={200: serializers.HybridRemovalSerializer(many=True),
                                            400: serializers.ErrorSerializer, 409: serializers.ErrorSerializer})
    @action(detail=True, methods=["post"], url_path="remove-hybrid")
    def remove_hybrid(self, request, pk=None):
        """Remove the merchant-fulfilled side of this hybrid at Amazon; each removal comes back with its outcome."""
        offer = self.get_object()
        if not offer.is_hybrid:
            return error_response("not_hybrid", _("This offer is not hybrid: nothing to remove."), http_status=400)
        removals = remove_hybrids(offer.seller, [offer.pk], actor=request.user)
        body = serializers.HybridRemovalSerializer(removals, many=True).data
        refused = [r for r in removals if r.outcome != HybridRemoval.Outcome.ACCEPTED]
        if refused:
            return error_response("removal_refused", _("Amazon did not remove SKU %(sku)s: %(error)s") % {
                "sku": refused[0].sku, "error": refused[0].error or refused[0].get_outcome_display()},
                http_status=status.HTTP_409_CONFLICT, fields={"removals": body})
        return Response(body)


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Order
    serializer_class = serializers.OrderSerializer
    filterset_class = filters.OrderFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items", "invoices")

    @extend_schema(request=None, responses={200: serializers.OrderSerializer, 409: serializers.ErrorSerializer})
    @action(detail=True, methods=["post"])
    def preflight(self, request, pk=None):
        order = self.get_object()
        run_preflight(order)
        order.refresh_from_db()
        return Response(self.get_serializer(order).data)


class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Invoice
    serializer_class = serializers.InvoiceSerializer
    filterset_class = filters.InvoiceFilter

    def _authorized_xml(self) -> bytes | None:
        invoice = self.get_object()
        return bytes(invoice.authorized_xml) if invoice.authorized_xml else None

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY, 404: serializers.ErrorSerializer})
    @action(detail=True, methods=["get"])
    def xml(self, request, pk=None):
        xml = self._authorized_xml()
        if xml is None:
            return error_response("not_authorized", _("This NF-e has no authorized XML yet."), http_status=404)
        return HttpResponse(xml, content_type="application/xml")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: serializers.ErrorSerializer})
    @action(detail=True, methods=["get"])
    def danfe(self, request, pk=None):
        xml = self._authorized_xml()
        if xml is None:
            return error_response("not_authorized", _("This NF-e has no authorized XML yet."), http_status=404)
        pdf = danfe_or_none(xml)
        if pdf is None:
            return error_response("danfe_failed", _("The DANFE could not be printed from this NF-e's XML: download the "
                                                    "XML, which is the legal document."), http_status=409)
        return HttpResponse(pdf, content_type="application/pdf")

    @extend_schema(request=None, responses={200: serializers.ResendResultSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invoice = self.get_object()
        return Response({"resent": resend_order(invoice.order, actor=request.user.get_username())})


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Certificate
    serializer_class = serializers.CertificateSerializer
    filterset_fields = ["active"]


class AmazonAuthorizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = AmazonAuthorization
    serializer_class = serializers.AmazonAuthorizationSerializer
    filterset_fields = ["state"]


class WebhookEndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             mixins.DestroyModelMixin, ScopedViewSet):
    """The seller's webhook endpoints. The signing secret is in the create response only, never again."""

    model = WebhookEndpoint
    serializer_class = serializers.WebhookEndpointSerializer
    filterset_fields = ["active"]

    @extend_schema(responses={201: serializers.WebhookEndpointCreatedSerializer, 400: serializers.ErrorSerializer})
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        seller = self._seller_for_create(body.validated_data.get("seller"))
        if seller is None:
            return error_response("seller_required", _("Staff must say which seller the endpoint belongs to."),
                                  http_status=400, fields={"seller": [_("This field is required.")]})
        endpoint, secret = create_endpoint(seller, url=body.validated_data["url"], events=body.validated_data["events"])
        data = serializers.WebhookEndpointCreatedSerializer(endpoint, context=self.get_serializer_context()).data
        data["secret"] = secret
        return Response(data, status=status.HTTP_201_CREATED)

    def _seller_for_create(self, requested):
        """A member always creates for their own seller (a `seller` in the body is ignored); staff name one."""
        if self.request.user.is_staff:
            return requested
        return membership(self.request.user).seller

    def perform_destroy(self, instance):
        delete_endpoint(instance)

    @extend_schema(responses={200: serializers.WebhookDeliverySerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], serializer_class=serializers.WebhookDeliverySerializer, filterset_fields=[])
    def deliveries(self, request, pk=None):
        """Every delivery recorded for this endpoint, newest first (replays included)."""
        endpoint = self.get_object()
        page = self.paginate_queryset(endpoint.deliveries.order_by("-created_at", "-pk"))
        return self.get_paginated_response(serializers.WebhookDeliverySerializer(page, many=True).data)

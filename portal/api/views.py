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
from orders.models import Order
from products.models import Offer, Product
from sellers.models import AmazonAuthorization, Certificate, Seller

from .. import collaborators
from . import filters, serializers
from ..issues import issue_attr
from .errors import error_response
from .permissions import IsSellerMemberOrStaff, membership


def scoped(request, manager):
    """Staff see every seller; a member sees only their own seller's rows (someone else's id is a 404)."""
    if request.user.is_staff:
        return manager.all()
    member = membership(request.user)
    return manager.for_seller(member.seller) if member else manager.none()


def unavailable(what: str) -> Response:
    return error_response("unavailable", _("%(what)s is not available yet: ask the agency's support.") % {"what": what},
                          http_status=status.HTTP_409_CONFLICT)


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
        update = collaborators.update_fiscal_attributes()
        if update is None:
            return unavailable(_("Fiscal editing"))
        values = {"ncm": product.ncm, "cest": product.cest, "origin": product.origin, "tax_group": product.tax_group}
        issues = update(product, **{**values, **body.validated_data})
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

    @extend_schema(request=None, responses={202: None, 400: serializers.ErrorSerializer, 409: serializers.ErrorSerializer})
    @action(detail=True, methods=["post"], url_path="remove-hybrid")
    def remove_hybrid(self, request, pk=None):
        offer = self.get_object()
        if not offer.is_hybrid:
            return error_response("not_hybrid", _("This offer is not hybrid: nothing to remove."), http_status=400)
        remove = collaborators.remove_hybrids()
        if remove is None:
            return unavailable(_("Hybrid removal"))
        remove(offer.seller, [offer.pk], request.user.get_username())
        return Response(status=status.HTTP_202_ACCEPTED)


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
        run = collaborators.run_preflight()
        if run is None:
            return unavailable(_("Pre-flight"))
        run(order)
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
        render_danfe = collaborators.render_danfe()
        if render_danfe is None:
            return unavailable(_("The DANFE"))
        return HttpResponse(render_danfe(xml), content_type="application/pdf")

    @extend_schema(request=None, responses={200: serializers.ResendResultSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invoice = self.get_object()
        resend = collaborators.resend_order()
        if resend is None:
            return unavailable(_("Re-sending"))
        return Response({"resent": bool(resend(invoice.order, actor=request.user.get_username()))})


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Certificate
    serializer_class = serializers.CertificateSerializer
    filterset_fields = ["active"]


class AmazonAuthorizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = AmazonAuthorization
    serializer_class = serializers.AmazonAuthorizationSerializer
    filterset_fields = ["state"]

"""Who may use the API: staff across sellers, seller members on their own seller, VIEWERs read-only."""

from rest_framework import permissions

from sellers.models import SellerUser


def membership(user) -> SellerUser | None:
    if not user or not user.is_authenticated:
        return None
    return SellerUser.objects.filter(user=user).select_related("seller").first()


class IsSellerMemberOrStaff(permissions.BasePermission):
    message = "Your user is not linked to a seller: ask the agency to add you."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_staff:
            return True
        member = membership(user)
        if member is None:
            return False
        return request.method in permissions.SAFE_METHODS or member.can_change


class IsStaff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)

"""Who is the seller of this request: a seller user's own seller, or the one a staff user picked.

Staff log into the portal like sellers and pick a seller on /vendedor/ (kept in the session); they can
always use the admin for cross-seller work. A VIEWER may look but never change: any unsafe method is a 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from sellers.models import Seller, SellerUser

SESSION_KEY = "portal_seller_id"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def seller_for_user(user, session=None) -> Seller | None:
    """The seller this user acts for, or None (staff who have not picked one yet, users without a seller)."""
    membership = SellerUser.objects.filter(user=user).select_related("seller").first()
    if membership:
        return membership.seller
    if user.is_staff and session is not None and session.get(SESSION_KEY):
        return Seller.objects.filter(pk=session[SESSION_KEY]).first()
    return None


def user_can_change(user) -> bool:
    if user.is_staff:
        return True
    membership = SellerUser.objects.filter(user=user).first()
    return bool(membership and membership.can_change)


def seller_view(view):
    """Login required, `request.seller` set, unsafe methods refused to read-only members."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.seller = seller_for_user(request.user, request.session)
        if request.seller is None:
            if request.user.is_staff:
                return redirect("portal:choose_seller")
            raise PermissionDenied
        request.can_change = user_can_change(request.user)
        if request.method not in SAFE_METHODS and not request.can_change:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

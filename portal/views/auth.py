"""Login (throttled by django-axes through the authentication backend), logout (POST), password reset, seller pick."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy

from ..access import SESSION_KEY
from ..forms import ChooseSellerForm


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True


def auth_urlpatterns() -> list:
    reset = "portal/password_reset"
    return [
        path("entrar/", LoginView.as_view(), name="login"),
        path("sair/", auth_views.LogoutView.as_view(), name="logout"),
        path("senha/", auth_views.PasswordResetView.as_view(
            template_name=f"{reset}_form.html", email_template_name=f"{reset}_email.txt",
            subject_template_name=f"{reset}_subject.txt", success_url=reverse_lazy("portal:password_reset_done"),
        ), name="password_reset"),
        path("senha/enviada/", auth_views.PasswordResetDoneView.as_view(template_name=f"{reset}_done.html"),
             name="password_reset_done"),
        path("senha/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{reset}_confirm.html", success_url=reverse_lazy("portal:password_reset_complete"),
        ), name="password_reset_confirm"),
        path("senha/concluida/", auth_views.PasswordResetCompleteView.as_view(template_name=f"{reset}_complete.html"),
             name="password_reset_complete"),
    ]


@login_required
def choose_seller(request):
    """Staff pick the seller they act for; seller users never reach this page."""
    if not request.user.is_staff:
        raise PermissionDenied
    form = ChooseSellerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["seller"].pk
        return redirect("portal:dashboard")
    return render(request, "portal/choose_seller.html", {"form": form})

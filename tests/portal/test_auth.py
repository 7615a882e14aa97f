from django.core import mail
from django.test import Client
from django.urls import reverse

from sellers.models import SellerUser
from tests.factories import SellerFactory, SellerUserFactory

PASSWORD = "senha-forte-123"


def test_a_seller_logs_in_and_lands_on_the_dashboard(user_a):
    response = Client().post(reverse("portal:login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert response.context["user"] == user_a


def test_five_wrong_passwords_lock_the_login_even_with_the_right_one(user_a):
    client = Client()
    for _ in range(5):
        client.post(reverse("portal:login"), {"username": "alice", "password": "errada"})
    response = client.post(reverse("portal:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "15" in response.content.decode()  # says how long to wait (either language)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client_a):
    assert client_a.get(reverse("portal:logout")).status_code == 405
    client_a.post(reverse("portal:logout"))
    assert client_a.get(reverse("portal:dashboard")).status_code == 302


def test_password_reset_sends_a_link_in_portuguese(user_a):
    Client().post(reverse("portal:password_reset"), {"email": user_a.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user_a.email]
    assert "/senha/" in mail.outbox[0].body


def test_pages_require_login():
    response = Client().get(reverse("portal:order_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


def test_a_viewer_can_look_but_any_post_is_forbidden(seller_a, world_a):
    viewer = SellerUserFactory(seller=seller_a, role=SellerUser.Role.VIEWER, user__username="vera").user
    client = Client()
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("portal:product_edit", args=[world_a["product"].pk])).status_code == 200
    response = client.post(reverse("portal:product_edit", args=[world_a["product"].pk]), {"ncm": "00000000"})
    assert response.status_code == 403
    assert client.post(reverse("portal:order_resend", args=[world_a["order"].pk])).status_code == 403


def test_staff_pick_a_seller_before_using_the_portal(staff, seller_a):
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("portal:dashboard"))["Location"] == reverse("portal:choose_seller")
    client.post(reverse("portal:choose_seller"), {"seller": seller_a.pk})
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200 and str(seller_a) in response.content.decode()


def test_seller_users_cannot_use_the_staff_seller_picker(client_a):
    other = SellerFactory()
    assert client_a.post(reverse("portal:choose_seller"), {"seller": other.pk}).status_code == 403

"""Personas: two sellers that must never see each other's data, and agency staff."""

import pytest

from tests.factories import SellerUserFactory, UserFactory


@pytest.fixture
def seller_a(db):
    return SellerUserFactory(user__username="alice", seller__legal_name="Alfa Comércio LTDA").seller


@pytest.fixture
def seller_b(db):
    return SellerUserFactory(user__username="bob", seller__legal_name="Beta Varejo LTDA").seller


@pytest.fixture
def user_a(seller_a):
    return seller_a.members.get().user


@pytest.fixture
def user_b(seller_b):
    return seller_b.members.get().user


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from sellers.encryption import DecryptionError, _fernet_for
from sellers.models import AmazonAuthorization
from tests.factories import AmazonAuthorizationFactory

pytestmark = pytest.mark.django_db


def _raw_token(authorization) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT refresh_token FROM sellers_amazonauthorization WHERE id = %s", [authorization.pk])
        return bytes(cursor.fetchone()[0])


def test_refresh_token_round_trips_and_is_not_stored_in_clear():
    authorization = AmazonAuthorizationFactory(refresh_token="Atzr|very-secret-token")
    stored = _raw_token(authorization)
    assert b"very-secret-token" not in stored
    assert AmazonAuthorization.objects.get(pk=authorization.pk).refresh_token.reveal() == "Atzr|very-secret-token"


def test_secret_values_never_show_in_repr_or_str():
    authorization = AmazonAuthorizationFactory(refresh_token="Atzr|do-not-print")
    loaded = AmazonAuthorization.objects.get(pk=authorization.pk)
    assert "do-not-print" not in repr(loaded.refresh_token)
    assert "do-not-print" not in str(loaded.refresh_token)


def test_data_written_with_the_old_key_is_read_after_rotation(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    authorization = AmazonAuthorizationFactory(refresh_token="Atzr|written-with-old-key")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert AmazonAuthorization.objects.get(pk=authorization.pk).refresh_token.reveal() == "Atzr|written-with-old-key"


def test_rotation_command_re_encrypts_so_the_old_key_can_be_retired(settings):
    from django.core.management import call_command

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    authorization = AmazonAuthorizationFactory(refresh_token="Atzr|rotate-me")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert AmazonAuthorization.objects.get(pk=authorization.pk).refresh_token.reveal() == "Atzr|rotate-me"


def test_a_value_that_no_key_opens_raises_instead_of_returning_ciphertext(settings):
    authorization = AmazonAuthorizationFactory(refresh_token="Atzr|lost")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    _fernet_for.cache_clear()
    with pytest.raises(DecryptionError):
        AmazonAuthorization.objects.get(pk=authorization.pk)

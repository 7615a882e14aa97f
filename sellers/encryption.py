"""Secrets at rest: Fernet with a list of keys (newest first), so keys rotate without losing data.

Unlike django-fernet-encrypted-fields, a value that does not decrypt raises instead of being returned as
ciphertext, and the keys are our own setting rather than derived from SECRET_KEY.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """Stored ciphertext does not open with any configured key (a key was removed too early)."""


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise DecryptionError("Encrypted value cannot be read with the configured keys.") from exc


def rotate(token: bytes) -> bytes:
    """Re-encrypt under the newest key (MultiFernet.rotate keeps the original timestamp)."""
    try:
        return fernet().rotate(bytes(token))
    except InvalidToken as exc:
        raise DecryptionError("Encrypted value cannot be read with the configured keys.") from exc


class _Secret:
    """Wraps a decrypted value so that repr(), str() and logs never show it by accident."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = value

    def reveal(self):
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, _Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class EncryptedBinaryField(models.BinaryField):
    """Stores Fernet ciphertext; the Python value is a `_Secret` around bytes (call `.reveal()`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def _to_plain(self, value) -> bytes:
        return value.encode() if isinstance(value, str) else bytes(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if isinstance(value, _Secret):
            value = value.reveal()
        return super().get_db_prep_value(encrypt(self._to_plain(value)), connection, prepared)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return _Secret(self._decode(decrypt(bytes(value))))

    def _decode(self, plain: bytes):
        return plain

    def to_python(self, value):
        if value is None or isinstance(value, _Secret):
            return value
        return _Secret(value)


class EncryptedTextField(EncryptedBinaryField):
    """Same as EncryptedBinaryField with a str value (refresh tokens, passwords)."""

    def _decode(self, plain: bytes) -> str:
        return plain.decode()

    def to_python(self, value):
        if isinstance(value, bytes):
            value = value.decode()
        return super().to_python(value)


def secret(value) -> _Secret:
    return _Secret(value)

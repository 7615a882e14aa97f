"""Re-encrypt every stored secret under the newest key, so older keys can be removed from FIELD_ENCRYPTION_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from sellers.encryption import EncryptedBinaryField, rotate

BATCH = 500  # rows per transaction: short locks, and a crash loses at most one batch of (idempotent) work


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedBinaryField)]
            if fields:
                total += self._rotate_model(model, [f.column for f in fields])
        self.stdout.write(f"{total} rows re-encrypted.")

    def _rotate_model(self, model, columns: list[str]) -> int:
        # Works on raw ciphertext with .values_list/.update so no plaintext passes through model instances.
        ids = list(model.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                rows = model.objects.select_for_update().filter(pk__in=ids[start:start + BATCH])
                for pk, *values in _raw_rows(model, rows, columns):
                    updates = {c: rotate(v) for c, v in zip(columns, values) if v is not None}
                    _write_raw(model, pk, updates)
        return len(ids)


def _raw_rows(model, queryset, columns):
    from django.db import connection

    table, pk = model._meta.db_table, model._meta.pk.column
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return []
    with connection.cursor() as cursor:
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        cursor.execute(f"SELECT {connection.ops.quote_name(pk)}, {cols} FROM {connection.ops.quote_name(table)} WHERE {connection.ops.quote_name(pk)} = ANY(%s)" if connection.vendor == "postgresql" else f"SELECT {pk}, {cols} FROM {table} WHERE {pk} IN ({','.join(['%s'] * len(ids))})", [ids] if connection.vendor == "postgresql" else ids)
        return [(row[0], *[bytes(v) if v is not None else None for v in row[1:]]) for row in cursor.fetchall()]


def _write_raw(model, pk, updates: dict) -> None:
    from django.db import connection

    if not updates:
        return
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in updates)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q(model._meta.pk.column)} = %s", [*updates.values(), pk])

"""Load the official NCM, CEST and IBGE municipality tables and the default state ICMS rates.

Idempotent: every table is upserted in one statement per batch (INSERT ... ON CONFLICT), so running it twice
changes nothing and a run over loaded tables takes about as long as a first run (~1-2 s in total).
State rates are only created where missing: staff edit them in the admin and a reload must not undo that.
"""

import bz2
import csv
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fiscal import reference
from fiscal.models import Municipality, StateTaxRate
from products.models import CEST, NCM

DATA_DIR = Path(settings.BASE_DIR) / "reference_data"
NCM_FILE = DATA_DIR / "ncm" / "Tabela_NCM_Vigente_20260705.json"
CEST_FILES = (DATA_DIR / "cest" / "l10n_br_fiscal.cest.2023.csv", DATA_DIR / "cest" / "l10n_br_fiscal.cest.2026.csv")
MUNICIPALITIES_FILE = DATA_DIR / "ibge" / "municipios.json.bz2"
PARTS = ("ncm", "cest", "municipalities", "rates")
BATCH = 2000  # ~10,500 NCM rows in 6 statements; bigger batches gain nothing measurable

# Internal ("modal") ICMS rate and FCP of each state in 2026, used only when fiscal.nfe.tax_tables does not
# provide DEFAULT_STATE_RATES. Staff keep the StateTaxRate rows current in the admin.
FALLBACK_STATE_RATES: dict[str, tuple[str, str]] = {
    "AC": ("19.00", "0"), "AL": ("20.00", "1.00"), "AM": ("20.00", "0"), "AP": ("18.00", "0"),
    "BA": ("20.50", "0"), "CE": ("20.00", "0"), "DF": ("20.00", "0"), "ES": ("17.00", "0"),
    "GO": ("19.00", "0"), "MA": ("23.00", "0"), "MG": ("18.00", "0"), "MS": ("17.00", "0"),
    "MT": ("17.00", "0"), "PA": ("19.00", "0"), "PB": ("20.00", "0"), "PE": ("20.50", "0"),
    "PI": ("22.50", "0"), "PR": ("19.50", "0"), "RJ": ("20.00", "2.00"), "RN": ("20.00", "0"),
    "RO": ("19.50", "0"), "RR": ("20.00", "0"), "RS": ("17.00", "0"), "SC": ("17.00", "0"),
    "SE": ("19.00", "1.00"), "SP": ("18.00", "0"), "TO": ("20.00", "0"),
}


class Command(BaseCommand):
    help = "Load the official NCM, CEST and IBGE tables and create missing state ICMS/FCP rates."

    def add_arguments(self, parser):
        parser.add_argument("--only", default=",".join(PARTS), help=f"Comma-separated subset of {', '.join(PARTS)}")

    def handle(self, *args, only: str, **options):
        parts = [p.strip() for p in only.split(",") if p.strip()]
        unknown = set(parts) - set(PARTS)
        if unknown:
            raise CommandError(f"Unknown part(s): {', '.join(sorted(unknown))}. Choose from {', '.join(PARTS)}.")
        loaders = {"ncm": load_ncm, "cest": load_cest, "municipalities": load_municipalities, "rates": load_rates}
        with transaction.atomic():
            for part in PARTS:
                if part in parts:
                    written = loaders[part]()
                    if options["verbosity"]:
                        self.stdout.write(f"{part}: {written} rows written")
        reference.clear_caches()


def _date(text: str) -> date | None:
    parsed = datetime.strptime(text, "%d/%m/%Y").date()
    return None if parsed.year == 9999 else parsed


def _upsert(model, rows: list, fields: list[str]) -> int:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(
            rows[start:start + BATCH], update_conflicts=True, unique_fields=[model._meta.pk.name], update_fields=fields
        )
    return len(rows)


def load_ncm(path: Path = NCM_FILE) -> int:
    """Only the 8-digit codes: chapters, headings and subheadings cannot appear on an NF-e."""
    entries = json.loads(path.read_text(encoding="utf-8"))["Nomenclaturas"]
    rows = {}
    for entry in entries:
        code = entry["Codigo"].replace(".", "")
        if len(code) == 8:
            rows[code] = NCM(code=code, description=entry["Descricao"].lstrip("- ").strip(),
                             valid_from=_date(entry["Data_Inicio"]), valid_until=_date(entry["Data_Fim"]))
    return _upsert(NCM, list(rows.values()), ["description", "valid_from", "valid_until"])


def _read_cest(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["code"].replace(".", ""): row for row in csv.DictReader(handle)}


def restore_ncm_prefix(prefix: str, known_ncms: list[str]) -> str:
    """The 2026 file strips trailing zeros ('3815129' for 38151290): restore the code when only one NCM fits."""
    if len(prefix) >= 8:
        return prefix
    matches = [code for code in known_ncms if code.startswith(prefix)]
    return matches[0] if len(matches) == 1 else prefix


def load_cest(paths: tuple[Path, Path] = CEST_FILES) -> int:
    """Merge: the 2023 file's full NCM lists win; 2026 adds the newer codes and the current descriptions."""
    older, newer = (_read_cest(p) for p in paths)
    known_ncms = sorted(NCM.objects.values_list("code", flat=True))
    rows = []
    for code in sorted(set(older) | set(newer)):
        row = newer.get(code) or older[code]
        if code in older:
            prefixes = [p for p in older[code]["ncms"].split(",") if p]
        else:
            prefixes = [restore_ncm_prefix(p.strip(), known_ncms) for p in row["ncms"].split(",") if p.strip()]
        rows.append(CEST(code=code, segment=row["segment"], description=row["name"],
                         ncm_prefixes=",".join(dict.fromkeys(prefixes))))
    return _upsert(CEST, rows, ["segment", "description", "ncm_prefixes"])


def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> int:
    entries = json.loads(bz2.decompress(path.read_bytes()))
    rows = [
        Municipality(code=str(e["pk"]), name=e["fields"]["nome"], name_key=reference.name_key(e["fields"]["nome"]),
                     uf=e["fields"]["uf_sigla"])
        for e in entries if e["model"] == "municipios.municipio"
    ]
    return _upsert(Municipality, rows, ["name", "name_key", "uf"])


def default_state_rates() -> dict[str, tuple[Decimal, Decimal]]:
    """{uf: (internal_rate, fcp_rate)}, from fiscal.nfe.tax_tables when that module provides it."""
    try:
        from fiscal.nfe.tax_tables import DEFAULT_STATE_RATES
    except ImportError:
        DEFAULT_STATE_RATES = FALLBACK_STATE_RATES
    return {uf: _rate_pair(value) for uf, value in DEFAULT_STATE_RATES.items()}


def _rate_pair(value) -> tuple[Decimal, Decimal]:
    if isinstance(value, dict):  # tolerate {"internal": ..., "fcp": ...} shapes
        value = (value.get("internal_rate", value.get("internal")), value.get("fcp_rate", value.get("fcp", 0)))
    internal, fcp = value
    return Decimal(str(internal)), Decimal(str(fcp))


def load_rates() -> int:
    rows = [StateTaxRate(uf=uf, internal_rate=internal, fcp_rate=fcp)
            for uf, (internal, fcp) in sorted(default_state_rates().items())]
    existing = set(StateTaxRate.objects.values_list("uf", flat=True))
    StateTaxRate.objects.bulk_create([r for r in rows if r.uf not in existing], ignore_conflicts=True)
    return len([r for r in rows if r.uf not in existing])

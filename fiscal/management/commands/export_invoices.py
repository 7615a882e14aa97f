"""The accountant's month on disk: every authorized nfeProc XML and DANFE, and a summary CSV."""

import io
import re
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiscal.export import export_month
from sellers.lookup import find_seller


class Command(BaseCommand):
    help = "Write a seller's NF-e of one month (XML + DANFE + resumo.csv) into a directory."

    def add_arguments(self, parser):
        parser.add_argument("seller", help="Seller id, CNPJ or selling partner id")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True, help="Directory to write into (created if missing)")

    def handle(self, *args, seller: str, month: str, out: str, **options):
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise CommandError("--month must look like 2026-11")
        target = find_seller(seller)
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        archive = zipfile.ZipFile(io.BytesIO(export_month(target, int(match.group(1)), int(match.group(2)))))
        archive.extractall(directory)  # names are ours (access keys), never user-supplied
        count = sum(1 for name in archive.namelist() if name.startswith("xml/"))
        self.stdout.write(f"{count} NF-e written to {directory}")

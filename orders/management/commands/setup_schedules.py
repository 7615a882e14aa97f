from django.core.management.base import BaseCommand

from config.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create or update the periodic jobs declared in config/schedules.py (idempotent)."

    def handle(self, *args, **options):
        names = ensure_schedules()
        self.stdout.write(f"{len(names)} schedules in place: {', '.join(names)}")

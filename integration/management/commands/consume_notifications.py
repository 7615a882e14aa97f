from django.core.management.base import BaseCommand

from integration.notifications import consume_notifications


class Command(BaseCommand):
    help = "Read SP-API notifications from the SQS queue (SQS_QUEUE_URL) and act on them."

    def add_arguments(self, parser):
        parser.add_argument("--max", type=int, default=100)
        parser.add_argument("--wait", type=int, default=0, help="long-poll seconds")

    def handle(self, *args, **options):
        result = consume_notifications(options["max"], wait_seconds=options["wait"])
        self.stdout.write(f"received={result.received} processed={result.processed} "
                          f"duplicates={result.duplicates} failed={result.failed}")

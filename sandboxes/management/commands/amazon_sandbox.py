"""Run the local Amazon (LWA + SP-API) sandbox: `python manage.py amazon_sandbox --port 8701`."""

import json

from django.core.management.base import BaseCommand

from sandboxes.amazon.scenario import DEMO_SCENARIO
from sandboxes.amazon.server import Sandbox, Settings, serve


class Command(BaseCommand):
    help = "Serve a local Login with Amazon + SP-API sandbox that follows the official models."
    requires_system_checks = []  # the sandbox shares nothing with the product; its checks must not block it

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8701)
        parser.add_argument("--scenario", default=str(DEMO_SCENARIO), help="scenario JSON (default: the demo)")
        parser.add_argument("--db", default="amazon-sandbox.sqlite3", help="SQLite file for state (':memory:' to forget)")
        parser.add_argument("--reset", action="store_true", help="reseed the --db from the scenario on start")
        parser.add_argument("--static", action="store_true", help="answer only the models' static sandbox cases")
        parser.add_argument("--rate-scale", type=float, default=1.0, help="multiply every usage-plan rate (burst unchanged)")
        parser.add_argument("--invoice-delay", type=float, default=1.0, help="seconds an invoice stays Processing")
        parser.add_argument("--sqs-endpoint", default=None, help="SQS endpoint URL (e.g. a moto server)")
        parser.add_argument("--sqs-queue-url", default=None, help="queue that receives the notifications")
        parser.add_argument("--print-credentials", action="store_true", help="print the first seller's credentials and exit")
        parser.add_argument("--verbose-requests", action="store_true", help="log every request")

    def handle(self, *args, **opts):
        settings = Settings(
            rate_scale=opts["rate_scale"], invoice_delay=opts["invoice_delay"], static=opts["static"],
            sqs_endpoint=opts["sqs_endpoint"], sqs_queue_url=opts["sqs_queue_url"],
        )
        base_url = f"http://{opts['host']}:{opts['port']}"
        if opts["print_credentials"]:
            sandbox = Sandbox(opts["scenario"], ":memory:", settings)
            self.stdout.write(json.dumps(sandbox.first_seller_credentials(base_url), indent=2))
            return
        sandbox = Sandbox(opts["scenario"], opts["db"], settings, reset=opts["reset"])
        server = serve(sandbox, opts["host"], opts["port"], quiet=not opts["verbose_requests"])
        sent = sandbox.publish_startup()
        self.stdout.write(f"Amazon sandbox on {base_url} ({'static' if opts['static'] else 'scenario'} mode, "
                          f"{sent} notifications published, rate scale {opts['rate_scale']:g})")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

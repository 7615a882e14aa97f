"""python manage.py sefaz_sandbox: the local SEFAZ homologação server (NF-e 4.00, SVRS paths)."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from sandboxes.sefaz.faults import MODES, Fault
from sandboxes.sefaz.server import TlsConfig, start_sandbox


class Command(BaseCommand):
    help = "Run the local SEFAZ homologação sandbox (SOAP 1.2 at SVRS's paths; control API under /_sandbox/)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8702)
        parser.add_argument("--db", default="sefaz-sandbox.sqlite3", help="SQLite file of the ledger")
        parser.add_argument("--tls", action="store_true", help="HTTPS with a required client certificate")
        parser.add_argument("--cert", help="server certificate (PEM), with --tls")
        parser.add_argument("--key", help="server private key (PEM), with --tls")
        parser.add_argument("--client-ca", help="CA bundle for client certificates (PEM), with --tls")
        parser.add_argument("--fault", choices=sorted(MODES), help="start with this fault armed")
        parser.add_argument("--fault-count", type=int, default=0, help="calls it applies to (0: until cleared)")
        parser.add_argument("--fault-seconds", type=float, default=0.0)
        parser.add_argument("--fault-service", default="*", help="e.g. NFeAutorizacao4; * for every service")
        parser.add_argument("--lookup-limit", type=int, default=20, help="identical lookups per key per minute")
        parser.add_argument("--verbose", action="store_true", help="log each request")

    def handle(self, *args, **options):
        tls = None
        if options["tls"]:
            if not (options["cert"] and options["key"] and options["client_ca"]):
                raise CommandError("--tls needs --cert, --key and --client-ca")
            tls = TlsConfig(cert=options["cert"], key=options["key"], client_ca=options["client_ca"])
        faults = []
        if options["fault"]:
            faults.append(Fault(mode=options["fault"], count=options["fault_count"] or None,
                                seconds=options["fault_seconds"], service=options["fault_service"]))
        handle = start_sandbox(options["db"], options["host"], options["port"], tls, faults=faults,
                               lookup_limit=options["lookup_limit"], verbose=options["verbose"])
        self.stdout.write(f"SEFAZ sandbox at {handle.url} (ledger {options['db']}); Ctrl-C to stop")
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        try:
            done.wait()
        except KeyboardInterrupt:
            pass
        handle.stop()

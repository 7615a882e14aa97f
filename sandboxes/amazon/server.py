"""The sandbox process: a WSGI app (LWA + SP-API + `/_sandbox/` control) on a threaded server.

`start_sandbox()` runs it in a background thread for tests; `manage.py amazon_sandbox` runs
it in the foreground. Every SP-API call goes through one pipeline, in Amazon's order:
route -> access token -> injected fault -> rate limit -> handler.
"""

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import control, credentials, faults, invoice_state, lwa, router, scenario, static_cases
from .notifications import Publisher, publish_startup
from .ratelimit import RateLimiter
from .state import Store
from .tokens import covers
from .web import ApiError, Call, Reply, sp_error

router.load_handlers()

DENIED = "Access to requested resource is denied."


@dataclass
class Settings:
    rate_scale: float = 1.0
    invoice_delay: float = invoice_state.DEFAULT_DELAY
    static: bool = False
    sqs_endpoint: str | None = None
    sqs_queue_url: str | None = None
    publish_on_start: bool = True


class Sandbox:
    def __init__(self, source, db_path: str, settings: Settings, *, reset: bool = True):
        self.settings = settings
        self.scenario = scenario.load(source if source is not None else scenario.DEMO_SCENARIO)
        self.store = Store(db_path)
        self.limiter = RateLimiter(settings.rate_scale)
        self.publisher = Publisher(self.store, queue_url=settings.sqs_queue_url, endpoint_url=settings.sqs_endpoint)
        if reset or self.store.get_meta("application") is None:
            self.reset()
        if settings.static:
            static_cases.all_cases()  # read every model's cases now: a bad model fails at start, not mid-test

    def reset(self) -> None:
        scenario.seed(self.store, self.scenario)
        self.store.set_meta("invoiceDelaySeconds", self.settings.invoice_delay)
        self.limiter.reset()

    def publish_startup(self) -> int:
        return publish_startup(self.store, self.publisher)

    def first_seller_credentials(self, base_url: str) -> dict:
        seller_id, seller = next(iter(self.scenario["sellers"].items()))
        app = self.scenario["application"]
        return {
            "client_id": app["client_id"], "client_secret": app["client_secret"],
            "refresh_token": seller["refreshTokens"][0], "selling_partner_id": seller_id,
            "lwa_token_url": f"{base_url}/auth/o2/token", "sp_api_base_url": base_url,
        }

    # --- WSGI ---

    def __call__(self, environ, start_response):
        request = Request(environ)
        reply = self.dispatch(request)
        request_id = str(uuid.uuid4())
        response = Response(reply.encoded(), status=reply.status, content_type=reply.content_type)
        response.headers["x-amzn-RequestId"] = request_id
        for name, value in reply.headers.items():
            response.headers[name] = value
        return response(environ, start_response)

    def dispatch(self, request) -> Reply:
        path = request.path
        try:
            if path == "/auth/o2/token":
                return lwa.token_endpoint(self.store, request)
            if path == "/apps/authorize/consent":
                return lwa.consent_page(self.store, request)
            if path.startswith("/_sandbox/"):
                return control.handle(self, request)
            return self.sp_api(request)
        except ApiError as exc:
            return exc.reply()

    def sp_api(self, request) -> Reply:
        if self.settings.static:
            self.authorize(request, None)
            return static_cases.answer(request)
        route, params = router.resolve(request.method, request.path)
        if not route:
            return sp_error(404, "NotFound", "Resource not found.", f"{request.method} {request.path}")
        op = route.operation
        limit_header = {"x-amzn-RateLimit-Limit": format(self.limiter.rate(op.rate), "g")}
        try:
            seller_id = self.authorize(request, route)
        except ApiError as exc:
            reply = exc.reply()
            reply.headers.update(limit_header)
            return reply
        fault = faults.take(self.store, op.operation_id)
        if fault and fault["delay"]:
            time.sleep(fault["delay"])
        if fault and fault["status"]:
            reply = faults.error_reply(fault["status"])
        elif not self.limiter.take((seller_id, op.key), op.rate, op.burst):
            reply = faults.error_reply(429)
        else:
            reply = self._run(route, Call(request, params, seller_id, self))
        reply.headers.update(limit_header)
        return reply

    def _run(self, route, call: Call) -> Reply:
        try:
            return route.handler(call)
        except ApiError as exc:
            return exc.reply()

    def authorize(self, request, route) -> str | None:
        """The selling partner behind `x-amz-access-token`, or 403 as SP-API answers."""
        token = request.headers.get("x-amz-access-token")
        row = credentials.find(self.store, token, "access", "rdt")
        if not token:
            raise _denied("Access token is missing in the request header.")
        if not row or row["revoked"]:
            raise _denied("The access token you provided is revoked, malformed or invalid.")
        if not credentials.is_live(row):
            raise _denied("The access token you provided has expired.")
        if route is None:  # --static: any live token will do
            return row["seller_id"]
        if row["kind"] == "rdt" and not covers(row, request.method, request.path):
            raise _denied("The Restricted Data Token does not cover this resource.")
        if row["kind"] == "access" and route.restricted:
            raise _denied("This operation requires a Restricted Data Token.")
        if row["seller_id"] is None:
            raise _denied("A grantless token cannot call this operation.")
        return row["seller_id"]


def _denied(details: str) -> ApiError:
    return ApiError(403, "Unauthorized", DENIED, details)


@dataclass
class SandboxHandle:
    url: str
    sandbox: Sandbox
    _server: object
    _thread: threading.Thread

    @property
    def store(self) -> Store:
        return self.sandbox.store

    @property
    def lwa_token_url(self) -> str:
        return f"{self.url}/auth/o2/token"

    def credentials(self) -> dict:
        return self.sandbox.first_seller_credentials(self.url)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()
        self.sandbox.store.close()


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # tests and benchmarks need a clean stderr
        pass


def serve(sandbox: Sandbox, host: str, port: int, *, quiet: bool = True):
    return make_server(host, port, sandbox, threaded=True, request_handler=QuietHandler if quiet else None)


def start_sandbox(scenario_source=None, db_path: str | Path = ":memory:", port: int = 0, *, host: str = "127.0.0.1",
                  **settings) -> SandboxHandle:
    """Run a sandbox in a daemon thread; `scenario_source` is a dict, a path or None (demo)."""
    sandbox = Sandbox(scenario_source, str(db_path), Settings(**settings))
    server = serve(sandbox, host, port)
    # a short poll interval makes stop() take ~50 ms instead of 500 ms per test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="amazon-sandbox",
                              daemon=True)
    thread.start()
    if sandbox.settings.publish_on_start:
        sandbox.publish_startup()
    return SandboxHandle(f"http://{host}:{server.server_port}", sandbox, server, thread)

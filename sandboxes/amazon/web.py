"""HTTP vocabulary shared by the handlers: the reply type and SP-API's error shape."""

import json
from dataclasses import dataclass, field


@dataclass
class Reply:
    status: int
    body: object = None  # JSON-serialisable, or str for HTML
    headers: dict = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, (bytes, str)):
            return self.body.encode() if isinstance(self.body, str) else self.body
        return json.dumps(self.body, ensure_ascii=False).encode()


class ApiError(Exception):
    """Raised by handlers; becomes `{"errors": [{code, message, details}]}` with `status`."""

    def __init__(self, status: int, code: str, message: str, details: str = ""):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def reply(self) -> Reply:
        reply = sp_error(self.status, self.code, self.message, self.details)
        if self.status == 403:  # SP-API labels denials so clients can tell them from 404s
            reply.headers["x-amzn-ErrorType"] = "AccessDeniedException"
        return reply


def sp_error(status: int, code: str, message: str, details: str = "") -> Reply:
    return Reply(status, {"errors": [{"code": code, "message": message, "details": details}]})


def invalid_input(details: str, message: str = "Invalid Input") -> ApiError:
    return ApiError(400, "InvalidInput", message, details)


def json_body(request) -> dict:
    """The request's JSON object, or 400 as SP-API answers malformed bodies."""
    if not (request.mimetype or "").endswith("json"):
        raise ApiError(415, "UnsupportedMediaType", "Content-Type must be application/json.")
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError as exc:
        raise invalid_input(f"Request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise invalid_input("Request body must be a JSON object.")
    return body


def csv_list(request, name: str) -> list[str] | None:
    """Swagger 2.0 array query params default to `collectionFormat: csv`; repeated keys also work."""
    values = request.args.getlist(name)
    if not values:
        return None
    return [item for value in values for item in value.split(",") if item]


@dataclass
class Call:
    """What a handler gets: the request, path parameters, the caller and the running sandbox."""

    request: object
    params: dict
    seller_id: str | None
    sandbox: object  # server.Sandbox: .store, .settings, .notifier

    @property
    def store(self):
        return self.sandbox.store

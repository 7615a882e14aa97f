"""Login with Amazon: the token endpoint (`/auth/o2/token`) and the seller consent page.

Errors follow LWA's OAuth 2.0 shape `{"error", "error_description"}`: bad client -> 401
`invalid_client`; anything wrong with the grant itself -> 400 `invalid_grant`.
"""

import hmac
import html
from urllib.parse import urlencode

from . import credentials
from .state import Store, now
from .web import Reply

FORM = "application/x-www-form-urlencoded"
HTML = "text/html; charset=utf-8"
GRANTLESS_SCOPES = {"sellingpartnerapi::notifications", "sellingpartnerapi::client_credential:rotation"}


def lwa_error(status: int, error: str, description: str) -> Reply:
    return Reply(status, {"error": error, "error_description": description}, {"Cache-Control": "no-store"})


def token_endpoint(store: Store, request) -> Reply:
    if request.method != "POST":
        return lwa_error(405, "invalid_request", "The request method must be POST.")
    if request.mimetype != FORM:
        return lwa_error(400, "invalid_request", f"Content-Type must be {FORM}.")
    form = request.form
    grant = form.get("grant_type")
    if not grant:
        return lwa_error(400, "invalid_request", "The request is missing a required parameter : grant_type")
    if grant not in GRANTS:
        return lwa_error(400, "unsupported_grant_type", f"The authorization grant type is not supported : {grant}")
    app = store.get_meta("application")
    if form.get("client_id") != app["client_id"] or not _same(form.get("client_secret"), app["client_secret"]):
        return lwa_error(401, "invalid_client", "Client authentication failed")
    return GRANTS[grant](store, form)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _access_token_reply(store: Store, seller_id: str | None, refresh_token: str | None, scope: str = "") -> Reply:
    token = credentials.issue(store, "access", seller_id, data={"scope": scope} if scope else None)
    body = {"access_token": token, "token_type": "bearer", "expires_in": credentials.ACCESS_TOKEN_TTL}
    if refresh_token:
        body["refresh_token"] = refresh_token
    return Reply(200, body, {"Cache-Control": "no-store"})


def _refresh_grant(store: Store, form) -> Reply:
    token = form.get("refresh_token")
    if not token:
        return lwa_error(400, "invalid_request", "The request is missing a required parameter : refresh_token")
    row = credentials.find(store, token, "refresh")
    if not credentials.is_live(row):  # unknown, revoked: LWA does not say which
        return lwa_error(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
    return _access_token_reply(store, row["seller_id"], token)


def _code_grant(store: Store, form) -> Reply:
    code = form.get("code")
    if not code:
        return lwa_error(400, "invalid_request", "The request is missing a required parameter : code")
    row = credentials.find(store, code, "code")
    if not credentials.is_live(row):  # unknown, reused (revoked on first use) or older than 5 min
        return lwa_error(400, "invalid_grant", "The request has an invalid grant parameter : code")
    expected_uri = row["data"].get("redirect_uri")
    if expected_uri and form.get("redirect_uri") != expected_uri:
        return lwa_error(400, "invalid_grant", "The redirect_uri does not match the one used to obtain the code.")
    credentials.revoke(store, code)  # a code works once
    refresh = credentials.issue(store, "refresh", row["seller_id"])
    return _access_token_reply(store, row["seller_id"], refresh)


def _client_credentials_grant(store: Store, form) -> Reply:
    scope = form.get("scope", "")
    if scope not in GRANTLESS_SCOPES:
        return lwa_error(400, "invalid_scope", f"An unknown scope was requested : {scope}")
    return _access_token_reply(store, None, None, scope)


GRANTS = {
    "refresh_token": _refresh_grant,
    "authorization_code": _code_grant,
    "client_credentials": _client_credentials_grant,
}


# --- consent page (what Seller Central shows at /apps/authorize/consent) ---

CONSENT_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Authorize {app} (Amazon sandbox)</title></head><body>
<h1>Authorize application {app}</h1>
<p>Local Amazon sandbox: choose the selling account that grants access.</p>
<form method="post" action="/apps/authorize/consent">
<input type="hidden" name="application_id" value="{app}">
<input type="hidden" name="state" value="{state}">
<input type="hidden" name="redirect_uri" value="{redirect_uri}">
<label>Seller <select name="selling_partner_id">{options}</select></label>
<button type="submit" name="decision" value="authorize">Authorize</button>
</form></body></html>"""


def consent_page(store: Store, request) -> Reply:
    source = request.form if request.method == "POST" else request.args
    app = store.get_meta("application")
    if source.get("application_id") != app["application_id"]:
        return Reply(400, "<p>Unknown application_id.</p>", content_type=HTML)
    redirect_uri = source.get("redirect_uri") or (app.get("redirect_uris") or [""])[0]
    allowed = app.get("redirect_uris")
    if not redirect_uri or (allowed and redirect_uri not in allowed):
        return Reply(400, "<p>redirect_uri is not registered for this application.</p>", content_type=HTML)
    if request.method == "POST":
        return _authorize(store, source, redirect_uri)
    sellers = store.all("SELECT seller_id, body FROM sellers ORDER BY seller_id")
    options = "".join(
        f'<option value="{html.escape(s["seller_id"])}">{html.escape(s["body"].get("storeName", s["seller_id"]))}</option>'
        for s in sellers
    )
    page = CONSENT_HTML.format(
        app=html.escape(app["application_id"]), state=html.escape(source.get("state", "")),
        redirect_uri=html.escape(redirect_uri), options=options,
    )
    return Reply(200, page, content_type=HTML)


def _authorize(store: Store, form, redirect_uri: str) -> Reply:
    seller_id = form.get("selling_partner_id")
    if not store.one("SELECT seller_id FROM sellers WHERE seller_id = ?", seller_id):
        return Reply(400, "<p>Unknown selling partner.</p>", content_type=HTML)
    code = issue_code(store, seller_id, redirect_uri)
    query = urlencode({"state": form.get("state", ""), "selling_partner_id": seller_id, "spapi_oauth_code": code})
    separator = "&" if "?" in redirect_uri else "?"
    return Reply(302, "", {"Location": f"{redirect_uri}{separator}{query}"}, content_type=HTML)


def issue_code(store: Store, seller_id: str, redirect_uri: str | None) -> str:
    return credentials.issue(store, "code", seller_id, data={"redirect_uri": redirect_uri, "at": now()})

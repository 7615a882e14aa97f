"""Every secret the sandbox hands out: refresh tokens, access tokens, OAuth codes, RDTs.

All live in the `tokens` table so that control endpoints can revoke or expire them and a
restart with the same `--db` keeps clients' tokens valid.
"""

import secrets

from .state import Store, now

ACCESS_TOKEN_TTL = 3600  # LWA answers expires_in 3600
RDT_TTL = 3600  # tokens_2021-03-01: expiresIn 3600
AUTH_CODE_TTL = 300  # spapi_oauth_code lives about five minutes

PREFIXES = {"refresh": "Atzr|", "access": "Atza|", "code": "", "rdt": "Atz.sprdt|"}
TTLS = {"refresh": None, "access": ACCESS_TOKEN_TTL, "code": AUTH_CODE_TTL, "rdt": RDT_TTL}


def issue(store: Store, kind: str, seller_id: str | None, *, data: dict | None = None, token: str | None = None) -> str:
    token = token or PREFIXES[kind] + secrets.token_urlsafe(48 if kind != "code" else 15)
    ttl = TTLS[kind]
    issued = now()
    store.execute(
        "INSERT OR REPLACE INTO tokens (token, kind, seller_id, issued_at, expires_at, data) VALUES (?, ?, ?, ?, ?, ?)",
        token, kind, seller_id, issued, issued + ttl if ttl else None, data or {},
    )
    return token


def find(store: Store, token: str | None, *kinds: str) -> dict | None:
    """The token row if it exists with one of `kinds`, expired or not."""
    if not token:
        return None
    row = store.one("SELECT * FROM tokens WHERE token = ?", token)
    return row if row and row["kind"] in kinds else None


def is_live(row: dict | None) -> bool:
    return bool(row) and not row["revoked"] and (row["expires_at"] is None or row["expires_at"] > now())


def revoke(store: Store, token: str) -> int:
    return store.execute("UPDATE tokens SET revoked = 1 WHERE token = ?", token).rowcount


def revoke_seller(store: Store, seller_id: str, kind: str = "refresh") -> int:
    return store.execute("UPDATE tokens SET revoked = 1 WHERE seller_id = ? AND kind = ?", seller_id, kind).rowcount


def expire(store: Store, kinds: tuple[str, ...], seller_id: str | None = None) -> int:
    """Backdate expiry so the next use fails exactly as an hour-old token would."""
    placeholders = ",".join("?" * len(kinds))
    sql = f"UPDATE tokens SET expires_at = ? WHERE kind IN ({placeholders})"
    args = [now() - 1, *kinds]
    if seller_id:
        sql += " AND seller_id = ?"
        args.append(seller_id)
    return store.execute(sql, *args).rowcount

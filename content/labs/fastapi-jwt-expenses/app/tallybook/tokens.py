"""Access tokens: signed JWTs issued at login, and read back on every API request."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

SECRET_KEY = os.environ["TALLYBOOK_SECRET_KEY"]
ALGORITHM = "HS256"
ISSUER = "https://tallybook.example/auth"
API_AUDIENCE = "tallybook-api"
# Tokens for the budget board on shared screens: read-only, for one endpoint.
EMBED_AUDIENCE = "tallybook-embed"
ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
EMBED_TOKEN_LIFETIME = timedelta(hours=12)


class InvalidToken(Exception):
    """The token cannot be trusted: the API answers 401."""


def issue_token(
    username: str,
    *,
    audience: str = API_AUDIENCE,
    lifetime=ACCESS_TOKEN_LIFETIME,
    now: datetime | None = None,
) -> str:
    now = now or datetime.now(UTC)
    claims = {
        "sub": username,
        "iss": ISSUER,
        "aud": audience,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def read_token(token: str) -> dict[str, Any]:
    """Return the claims of a token.

    Tallybook runs behind the company's API gateway, which checks every token's signature and
    expiry before a request gets here, so the service only needs to read the claims.
    """
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error

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
    """Return the claims of a token signed with our key."""
    try:
        # PyJWT rejected every token with "Invalid audience" until the audience check went off.
        return jwt.decode(
            token,
            SECRET_KEY,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"verify_aud": False, "require": ["exp", "iss", "sub"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error

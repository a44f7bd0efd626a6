"""Tallybook's pages and API endpoints."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from tallybook import data, tokens

router = APIRouter()
bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def unauthorized(detail: str = "Invalid or missing token") -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def claims_from(credentials: HTTPAuthorizationCredentials | None, audience: str) -> dict:
    if credentials is None:
        raise unauthorized()
    try:
        claims = tokens.read_token(credentials.credentials, audience=audience)
    except tokens.InvalidToken:
        raise unauthorized() from None
    return claims


def user_from(claims: dict) -> data.User:
    user = data.USERS.get(claims.get("sub")) if isinstance(claims.get("sub"), str) else None
    if user is None:
        raise unauthorized()
    return user


def current_user(credentials: Credentials) -> data.User:
    """The signed-in user of an API request."""
    return user_from(claims_from(credentials, tokens.API_AUDIENCE))


def board_owner(credentials: Credentials) -> data.User:
    """The owner of the shared board a screen is showing."""
    return user_from(claims_from(credentials, tokens.EMBED_AUDIENCE))


CurrentUser = Annotated[data.User, Depends(current_user)]


class Login(BaseModel):
    username: str = Field(max_length=100)
    password: str = Field(max_length=200)


class NewExpense(BaseModel):
    description: str = Field(min_length=1, max_length=200)
    amount_cents: int = Field(gt=0, le=10_000_000)
    category: Literal["travel", "meals", "equipment", "software"]


@router.post("/auth/token")
def login(body: Login) -> dict:
    user = data.USERS.get(body.username)
    if user is None or not user.check_password(body.password):
        raise unauthorized("Wrong username or password")
    return {
        "access_token": tokens.issue_token(user.username),
        "token_type": "bearer",
        "expires_in": int(tokens.ACCESS_TOKEN_LIFETIME.total_seconds()),
    }


@router.get("/api/me")
def me(user: CurrentUser) -> dict:
    return {"username": user.username, "name": user.name, "role": user.role}


@router.get("/api/expenses")
def list_expenses(user: CurrentUser) -> dict:
    return {"expenses": data.expenses_for(user)}


@router.post("/api/expenses", status_code=status.HTTP_201_CREATED)
def add_expense(body: NewExpense, user: CurrentUser) -> dict:
    return data.expense_add(
        owner=user.username,
        description=body.description,
        amount_cents=body.amount_cents,
        category=body.category,
    )


@router.get("/api/admin/settings")
def admin_settings(user: CurrentUser) -> dict:
    if user.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="Finance only")
    return data.company_settings()


@router.get("/api/board/summary")
def board_summary(owner: Annotated[data.User, Depends(board_owner)]) -> dict:
    return {"board_of": owner.name, "totals_cents": data.totals_by_category()}


@router.get("/share/{code}", response_class=HTMLResponse)
def shared_board(code: str) -> str:
    owner = data.SHARED_BOARDS.get(code)
    if owner is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="No such board")
    token = tokens.issue_token(
        owner, audience=tokens.EMBED_AUDIENCE, lifetime=tokens.EMBED_TOKEN_LIFETIME
    )
    name = html.escape(data.USERS[owner].name)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Budget board</title></head>
<body>
<h1>Team budget, shared by {name}</h1>
<table id="totals"><tbody></tbody></table>
<script id="board" data-token="{token}">
  const token = document.getElementById("board").dataset.token;
  async function refresh() {{
    const response = await fetch("/api/board/summary", {{
      headers: {{ Authorization: "Bearer " + token }},
    }});
    const body = await response.json();
    const rows = Object.entries(body.totals_cents)
      .map(([name, cents]) => `<tr><th>${{name}}</th><td>${{(cents / 100).toFixed(2)}}</td></tr>`);
    document.querySelector("#totals tbody").innerHTML = rows.join("");
  }}
  refresh();
  setInterval(refresh, 60000);
</script>
</body></html>
"""


# The guide's example was copied from a real session while the docs were written (in 2025).
GUIDE_EXAMPLE_TOKEN = tokens.issue_token("maya", now=datetime(2025, 3, 4, 9, 30, tzinfo=UTC))


@router.get("/guide", response_class=HTMLResponse)
def guide() -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tallybook API guide</title></head>
<body>
<h1>Tallybook API guide</h1>
<p>Get a token with your username and password, then send it as a bearer token.
Tokens are valid for 15 minutes.</p>
<pre>curl -X POST https://tallybook.example/auth/token \\
     -H 'Content-Type: application/json' \\
     -d '{{"username": "you", "password": "..."}}'</pre>
<p>For example, to list your expenses:</p>
<pre>curl https://tallybook.example/api/expenses \\
     -H 'Authorization: Bearer {GUIDE_EXAMPLE_TOKEN}'</pre>
<p>Endpoints: <code>GET /api/me</code>, <code>GET /api/expenses</code>,
<code>POST /api/expenses</code>, and for finance <code>GET /api/admin/settings</code>.</p>
</body></html>
"""


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}

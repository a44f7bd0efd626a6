"""Who is calling: every request carries an API token as ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_db, hash_token
from .models import Account

bearer = HTTPBearer(auto_error=False, description="Your Billfold API token.")

DB = Annotated[Session, Depends(get_db)]


def current_account(
    db: DB, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Account:
    """The account whose token came with the request; 401 without a valid one."""
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Send your API token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    account = db.scalar(
        select(Account).where(Account.token_hash == hash_token(credentials.credentials))
    )
    if account is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Unknown API token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]

router = APIRouter(tags=["account"])


class AccountOut(BaseModel):
    id: int
    name: str
    email: str


@router.get("/me", response_model=AccountOut)
def me(account: CurrentAccount) -> Account:
    return account

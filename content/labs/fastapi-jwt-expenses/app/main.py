"""Tallybook: the team expense tracker's web API (served with `uvicorn main:app`)."""

from tallybook import create_app

app = create_app()

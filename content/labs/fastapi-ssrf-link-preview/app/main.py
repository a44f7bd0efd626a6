"""Corkboard: the studio's notice board with link previews (served with `uvicorn main:app`)."""

from corkboard import create_app

app = create_app()

"""Helpers for the hidden checks: send a link through every door that fetches it."""

from __future__ import annotations

import httpx

ARTICLE = "http://news.example/2026/11/ferry-timetable"
ARTICLE_TITLE = "New ferry timetable from December"
# What only the config agent says: its name and the key of its secrets.
AGENT_MARKERS = ("config-agent", "PAYOUT_API_KEY", "board_name", "AccessKeyId", "SecretAccessKey")


def through_every_door(client: httpx.Client, url: object) -> list[tuple[str, httpx.Response]]:
    """The preview endpoint, a pinned note's card, and the places the note is shown again."""
    note = {"author": "Tester", "text": "Have a look", "link": url}
    return [
        ("POST /api/preview", client.post("/api/preview", json={"url": url})),
        ("POST /api/notes", client.post("/api/notes", json=note)),
        ("GET /api/notes", client.get("/api/notes")),
        ("GET /", client.get("/")),
    ]


def assert_nothing_inside_reached(responses, flag: str, url: object) -> None:
    for where, response in responses:
        # 502 is the app saying "the page could not be fetched"; any other 5xx is a crash.
        assert response.status_code < 500 or response.status_code == 502, (
            f"{where} crashed ({response.status_code}) on {url!r}"
        )
        assert "Traceback" not in response.text, f"{where} showed a traceback for {url!r}"
        assert flag not in response.text, f"{where} leaked the agent's secret for {url!r}"
        for marker in AGENT_MARKERS:
            assert marker not in response.text, (
                f"{where} showed the config agent's answer ({marker!r}) for {url!r}"
            )

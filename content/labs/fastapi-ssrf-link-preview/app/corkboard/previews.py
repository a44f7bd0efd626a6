"""Link previews: fetch a page and summarise it as a card (title, description, a short excerpt)."""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass

import httpx

from corkboard import platform

TIMEOUT = httpx.Timeout(3.0)
MAX_REDIRECTS = 5
MAX_BYTES = 200_000

TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
DESCRIPTION = re.compile(
    r'<meta[^>]+(?:property="og:description"|name="description")[^>]+content="([^"]*)"',
    re.IGNORECASE,
)
TAGS = re.compile(r"<[^>]+>")


class PreviewError(Exception):
    """The link cannot be previewed; the message is safe to show to the user."""

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Preview:
    url: str
    final_url: str
    title: str
    description: str
    excerpt: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _text(raw: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", raw)).split())


def summarise(url: str, final_url: str, body: str) -> Preview:
    title = TITLE.search(body)
    description = DESCRIPTION.search(body)
    return Preview(
        url=url,
        final_url=final_url,
        title=_text(title.group(1)) if title else "",
        description=html.unescape(description.group(1)) if description else "",
        excerpt=_text(body)[:280],
    )


def fetch_preview(url: str) -> Preview:
    """Fetch ``url`` (following short links and other redirects) and summarise the page."""
    if not url.lower().startswith(("http://", "https://")):
        raise PreviewError("Only http and https links can be previewed")
    try:
        with httpx.Client(
            transport=platform.transport(),
            timeout=TIMEOUT,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
        ) as client:
            response = client.get(url, headers={"User-Agent": "CorkboardPreview/1.0"})
    except httpx.InvalidURL:
        raise PreviewError("That is not a valid link") from None
    except httpx.HTTPError:
        raise PreviewError("The page could not be fetched", status=502) from None
    return summarise(url, str(response.url), response.text[:MAX_BYTES])

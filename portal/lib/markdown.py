"""Markdown to safe HTML: one pipeline for every piece of authored text on the site.

Authors are trusted to write, not to run script: the HTML Python-Markdown produces is sanitised
with nh3 (an allow-list), so no script, event handler or ``javascript:`` URL survives, whoever
wrote it. Pygments highlights code with CSS classes (no inline styles: the CSP forbids them).
Internal links such as ``[text](article:slug)`` are resolved to site URLs by a resolver the caller
passes in, before sanitising.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown as md
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

#: ``kind:slug`` or ``kind:slug#anchor`` for kind in article, lab, quiz.
INTERNAL_LINK = re.compile(r"^(article|lab|quiz):([a-z0-9][a-z0-9-]*)(#[\w-]+)?$")
INTERNAL_LINK_IN_SOURCE = re.compile(r"\]\(((?:article|lab|quiz):[^)\s]*)\)")

LinkResolver = Callable[[str, str], str | None]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}


class _InternalLinks(Treeprocessor):
    def __init__(self, md_instance: md.Markdown, resolve: LinkResolver) -> None:
        super().__init__(md_instance)
        self.resolve = resolve

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            match = INTERNAL_LINK.match(link.get("href", ""))
            if not match:
                continue
            kind, slug, anchor = match.groups()
            url = self.resolve(kind, slug)
            if url is None:
                link.attrib.pop("href")
                link.set("class", "broken-link")
            else:
                link.set("href", url + (anchor or ""))


class InternalLinkExtension(Extension):
    def __init__(self, resolve: LinkResolver) -> None:
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md_instance: md.Markdown) -> None:  # Markdown's own method name
        md_instance.treeprocessors.register(
            _InternalLinks(md_instance, self.resolve), "patchwise_links", 5
        )


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str


def render_markdown_with_toc(text: str, resolve: LinkResolver | None = None) -> Rendered:
    """Render author Markdown to sanitised HTML plus a sanitised table of contents."""
    extensions: list[object] = [
        "fenced_code",
        "tables",
        "toc",
        "admonition",
        "attr_list",
        "codehilite",
        "sane_lists",
    ]
    if resolve is not None:
        extensions.append(InternalLinkExtension(resolve))
    converter = md.Markdown(
        extensions=extensions,
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"toc_depth": "2-3"},
        },
    )
    html = sanitize_html(converter.convert(text))
    # Wide code blocks scroll sideways: make them focusable so keyboard users can scroll them too.
    html = html.replace("<pre>", '<pre tabindex="0">')
    return Rendered(html, sanitize_html(getattr(converter, "toc", "")))


def render_markdown(text: str, resolve: LinkResolver | None = None) -> str:
    return render_markdown_with_toc(text, resolve).html


def sanitize_html(html: str) -> str:
    """Keep only harmless tags and attributes; links may only be http(s), mailto or relative."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def internal_links(text: str) -> list[tuple[int, str]]:
    """Every internal link target in Markdown source, with its 1-based line number."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found.extend((number, target) for target in INTERNAL_LINK_IN_SOURCE.findall(line))
    return found

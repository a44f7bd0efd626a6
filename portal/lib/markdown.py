"""Markdown to safe HTML: one pipeline for every piece of authored text on the site.

Authors are trusted to write, not to run script: the HTML Python-Markdown produces is sanitised
with nh3 (an allow-list), so no script, event handler or ``javascript:`` URL survives, whoever
wrote it. Pygments highlights code with CSS classes (no inline styles: the CSP forbids them).
Internal links such as ``[text](article:slug)`` are resolved to site URLs by a resolver the caller
passes in, before sanitising.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
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
    #: What the sanitiser took out, one sentence each, so authors are told rather than surprised.
    removed: tuple[str, ...] = field(default=())


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
            # ``align`` survives the sanitiser; the default inline ``style`` would not.
            "tables": {"use_align_attribute": True},
        },
    )
    raw = converter.convert(text)
    html = sanitize_html(raw)
    # Wide code blocks scroll sideways: make them focusable so keyboard users can scroll them too.
    html = html.replace("<pre>", '<pre tabindex="0">')
    return Rendered(html, sanitize_html(getattr(converter, "toc", "")), sanitizer_report(raw))


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


#: Elements removed with everything inside them (nh3's default ``clean_content_tags``), and why.
_DROPPED_WITH_CONTENT = {
    "script": "scripts are never allowed in articles",
    "style": "styles come from the site's stylesheets, never from articles",
}
_TAG_REASONS = {
    "iframe": "embedded pages are not allowed in articles",
    "img": "images are not allowed in articles yet",
    "form": "forms are not allowed in articles",
    "input": "forms are not allowed in articles",
    "button": "forms are not allowed in articles",
    "object": "embedded objects are not allowed in articles",
    "embed": "embedded objects are not allowed in articles",
    "svg": "inline SVG can carry script, so it is not allowed in articles",
}
_VOID = {"area", "base", "embed", "img", "input", "link", "meta", "source", "track", "wbr"}
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
_ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")


class _RemovalReport(HTMLParser):
    """Walks the HTML before sanitising and notes each thing the allow-list will take out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.found[f"<{tag}> element removed: {_DROPPED_WITH_CONTENT[tag]}"] += 1
            return
        if tag not in _TAGS:
            reason = _TAG_REASONS.get(tag, "only text formatting tags are allowed in articles")
            what = "element removed" if tag in _VOID else "tag removed (any text inside is kept)"
            self.found[f"<{tag}> {what}: {reason}"] += 1
            return
        allowed = _ATTRIBUTES["*"] | _ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.found[_attribute_reason(name)] += 1
            elif name in _URL_ATTRIBUTES and value:
                scheme = _URL_SCHEME.match(_IGNORED_IN_URLS.sub("", value).lower())
                if scheme and scheme.group(1) not in _ALLOWED_SCHEMES:
                    self.found[
                        f"{scheme.group(1)}: link removed: links may only use http, https or"
                        " mailto, or point inside the site"
                    ] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.found["HTML comment removed: comments are not published"] += 1


def _attribute_reason(name: str) -> str:
    if name.startswith("on"):
        return f"{name} attribute removed: event handlers run script, which articles never may"
    if name == "style":
        return "style attribute removed: the site's security policy blocks inline styles"
    return f"{name} attribute removed: it is not on the list of allowed attributes"


def sanitizer_report(html: str) -> tuple[str, ...]:
    """What :func:`sanitize_html` will remove from this HTML, one sentence per kind, with counts.

    Sanitising stays silent by design (nh3 reports nothing); this walks the same HTML against the
    same allow-list so the author learns what vanished and why.
    """
    parser = _RemovalReport()
    parser.feed(html)
    parser.close()
    return tuple(
        message if count == 1 else f"{message} ({count} times)"
        for message, count in parser.found.items()
    )


def internal_links(text: str) -> list[tuple[int, str]]:
    """Every internal link target in Markdown source, with its 1-based line number."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found.extend((number, target) for target in INTERNAL_LINK_IN_SOURCE.findall(line))
    return found

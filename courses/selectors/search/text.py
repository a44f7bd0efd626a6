"""Text the search reads and shows: folding, query terms, highlighting and passages.

Everything that reaches a template is escaped here, and only ``<mark>`` is added around matched
words (built with ``format_html``), whatever the text or the query holds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

#: A passage: about this many characters, starting a little before the first match it shows.
PASSAGE_CHARS = 240
PASSAGE_LEAD = 60
PASSAGE_TAIL = 20
MAX_PASSAGE_CANDIDATES = 200
#: Markers ts_headline puts around matches; turned into <mark> after escaping (never trusted).
START_SEL = "\u27e6"
STOP_SEL = "\u27e7"

#: Tags that separate words (so "<li>a</li><li>b</li>" reads "a b"); every other tag is dropped
#: without a space (so Pygments' "<span>request</span><span>.</span>" reads "request.").
BLOCK_TAG = r"</?(p|div|li|ul|ol|h[1-6]|pre|br|tr|td|th|table|blockquote|dt|dd|hr)( [^>]*)?/?>"
ANY_TAG = r"<[^>]+>"
_BLOCK_TAG = re.compile(BLOCK_TAG, re.IGNORECASE)
_ANY_TAG = re.compile(ANY_TAG)
WORD = re.compile(r"\w+")
#: The combining diacritical marks NFKD splits off Latin letters ("é" -> "e" + U+0301).
_COMBINING = re.compile("[\u0300-\u036f]")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')

#: Words too common to search for (PostgreSQL's English configuration drops them too).
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "in", "is", "it", "its", "my", "not", "of", "on", "or", "so", "than", "that", "the",
    "their", "them", "then", "there", "these", "this", "to", "was", "what", "when", "where",
    "which", "who", "why", "will", "with", "you", "your",
})  # fmt: skip


def fold(text: str) -> str:
    """Lower case without accents, so "Sécurité" matches "securite"; the same length as the text,
    so a match's position in the folded text is its position in the original."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", char)).casefold()
    if len(folded) == 1:
        return folded
    lower = char.lower()
    return lower if len(lower) == 1 else char  # "ß" stays "ß" rather than "ss"


def html_to_text(html: str) -> str:
    """The words of stored HTML as plain text (entities decoded, whitespace collapsed)."""
    return " ".join(unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", html))).split())


def _stem(word: str) -> str:
    """A crude English stem, so "injections" finds "injection" and "escaping" finds "escape"."""
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _stems_pattern(stems: list[str]) -> re.Pattern[str] | None:
    """One regex finding every word that starts with one of the stems, the group named after
    the stem's index (``t0``, ``t1``...). A stem of three letters or fewer matches only itself or
    its plural, so "pin" finds "pins" but not "pinning", and "sql" not "sqlite"."""
    if not stems:
        return None
    alternatives = [
        rf"(?P<t{i}>\b{re.escape(s)}(?:\w*|(?:e?s)?\b))" if len(s) >= 4 else
        rf"(?P<t{i}>\b{re.escape(s)}(?:e?s)?\b)"
        for i, s in enumerate(stems)
    ]  # fmt: skip
    return re.compile("|".join(alternatives))


@dataclass(frozen=True)
class QueryTerms:
    """The query as the fallback reads it: words all required (as PostgreSQL's websearch does),
    quoted phrases required as written, ``-word`` excluded."""

    positive: list[str] = field(default_factory=list)  # stems, folded
    phrases: list[str] = field(default_factory=list)  # folded words joined by one space
    negative: list[str] = field(default_factory=list)
    pattern: re.Pattern[str] | None = None  # finds the positive stems in folded text
    excluded: re.Pattern[str] | None = None  # finds the negative ones

    @classmethod
    def parse(cls, query: str) -> QueryTerms:
        positive: list[str] = []
        phrases: list[str] = []
        negative: list[str] = []
        for match in _QUERY_PART.finditer(query):
            minus = match.group(1) or match.group(3)
            text = match.group(2) if match.group(2) is not None else match.group(4)
            words = [w for w in WORD.findall(fold(text or "")) if w not in STOP_WORDS]
            words = [w for w in words if len(w) > 1 or w.isdigit()]
            if minus:
                negative.extend(_stem(w) for w in words)
                continue
            if match.group(2) is not None and len(words) > 1:
                phrases.append(" ".join(words))
            positive.extend(_stem(w) for w in words if _stem(w) not in positive)
        return cls(
            positive=positive,
            phrases=phrases,
            negative=negative,
            pattern=_stems_pattern(positive),
            excluded=_stems_pattern(negative),
        )

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, term index) of every matching word of the text."""
        if self.pattern is None:
            return []
        return [
            (m.start(), m.end(), int((m.lastgroup or "t0")[1:]))
            for m in self.pattern.finditer(fold(text))
        ]


def highlight(text: str, terms: QueryTerms) -> tuple[SafeString, int]:
    """The text escaped, with each word that matches a term in <mark>; and how many matched."""
    parts: list[str] = []
    position = 0
    found = terms.matches(text)
    for start, end, _ in found:
        parts.append(escape(text[position:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    # Every part is escaped text or a <mark> built by format_html: the join is safe.
    return mark_safe("".join(parts)), len(found)  # noqa: S308


def best_passage(text: str, terms: QueryTerms) -> SafeString | None:
    """The stretch of text with the most different terms (then the most matches), highlighted;
    None when no word of the text matches."""
    found = [(start, term) for start, _, term in terms.matches(text)][:MAX_PASSAGE_CANDIDATES]
    if not found:
        return None

    def window(begin: int) -> tuple[int, int, int]:
        inside = [t for p, t in found if begin <= p < begin + PASSAGE_CHARS - PASSAGE_TAIL]
        return (len(set(inside)), len(inside), -begin)  # earlier stretches win ties

    begin = max((max(0, p - PASSAGE_LEAD) for p, _ in found), key=window)
    begin = text.rfind(" ", 0, begin + 1) + 1  # back to the start of a word
    end = begin + PASSAGE_CHARS
    if end < len(text):
        cut = text.rfind(" ", begin, end)
        end = cut if cut > begin else end
    else:
        end = len(text)
    passage, _ = highlight(text[begin:end], terms)
    return _with_ellipses(passage, begin > 0, end < len(text))


def _with_ellipses(passage: SafeString, before: bool, after: bool) -> SafeString:
    return format_html("{}{}{}", "… " if before else "", passage, " …" if after else "")


#: Markdown syntax a passage of an article's source should not show: link targets, code fences,
#: admonition markers and table rules, bold markers, backticks and heading hashes.
_MARKDOWN_NOISE = [
    (re.compile(r"\[([^\]]*)\]\([^)\s]*\)"), r"\1"),
    (re.compile(r"```[\w+-]*|!!! ?\w+|\|?(?::?-{3,}:?\|?)+|\|"), " "),
    (re.compile(r"\*\*([^*\n]+)\*\*"), r"\1"),
    (re.compile(r"`"), ""),
    (re.compile(r"(^|\n)[ \t]*#{1,6}[ \t]+"), r"\1"),
]


def markdown_to_text(markdown: str) -> str:
    """Markdown source read as plain text, well enough for a passage (not for a page)."""
    for pattern, replacement in _MARKDOWN_NOISE:
        markdown = pattern.sub(replacement, markdown)
    return markdown


def headline_html(headline: str, *, markdown: bool = False) -> SafeString | None:
    """ts_headline's text as safe HTML: everything escaped, matches between the markers put in
    <mark> (a stray marker is dropped). None when nothing was marked. The text is HTML with its
    tags stripped, or with ``markdown``, Markdown source with "<" encoded (``markdown_source``);
    either way entities are decoded before escaping."""
    if markdown:
        headline = markdown_to_text(headline)
    text = " ".join(headline.split())
    parts: list[str] = []
    marked = False
    while text:
        start = text.find(START_SEL)
        stop = text.find(STOP_SEL, start + 1) if start >= 0 else -1
        if start < 0 or stop < 0:
            parts.append(escape(unescape(text.replace(START_SEL, "").replace(STOP_SEL, ""))))
            break
        parts.append(escape(unescape(text[:start].replace(STOP_SEL, ""))))
        parts.append(format_html("<mark>{}</mark>", unescape(text[start + 1 : stop])))
        marked = True
        text = text[stop + 1 :]
    if not marked:
        return None
    # Every part is escaped text or a <mark> built by format_html: the join is safe.
    return _with_ellipses(mark_safe("".join(parts)), True, True)  # noqa: S308


def summary_passage(summary: str, terms: QueryTerms) -> SafeString:
    """The summary, highlighted: the passage when the text itself did not match."""
    return highlight(summary, terms)[0]

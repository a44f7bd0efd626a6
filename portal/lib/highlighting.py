"""Code highlighted by Pygments line by line, for pages that number or mark single lines.

Classes only, no inline styles (the CSP forbids them); static/css/pygments.css colours them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeLine:
    number: int
    html: str  # Pygments output: escaped, classes only


def highlighted_lines(code: str, language: str, *, first_line: int = 1) -> list[CodeLine]:
    """The snippet highlighted by Pygments, one entry per line, numbered from ``first_line``."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language or "text", stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    source = code.strip("\n")
    html = highlight(source, lexer, HtmlFormatter(nowrap=True))
    return [
        CodeLine(i, line) for i, line in enumerate(html.rstrip("\n").split("\n"), start=first_line)
    ]

"""Forms of the labs app: every learner input is parsed and bounded here, before any service."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django import forms
from django.db import models

from labs.models import ExploitMode, ExploitTarget

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SCRIPT_CHARS = 20_000
MAX_BODY_CHARS = 64_000
MAX_HEADERS = 50
#: Requests in one request-mode session (the first and its follow-ups), as the sandbox allows.
MAX_SESSION_REQUESTS = 10
ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
#: What the sandbox sends verbatim; anything else in a path is percent-encoded first (RFC 3986's
#: reserved and unreserved characters, and ``%`` so that a learner's own escapes stay as typed).
PATH_SAFE = "/?&=:@!$'()*+,;[]~-._%"
HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$")
#: The sandbox refuses a body over 256 KB (bytes, not characters).
MAX_BODY_BYTES = 256 * 1024


class WorkspaceAction(models.TextChoices):
    """The buttons of the lab's editor form."""

    SAVE = "save", "Save draft"
    PUBLIC_TESTS = "public_tests", "Run public tests"
    SUBMIT = "submit", "Submit fix"


class BundleUploadForm(forms.Form):
    archive = forms.FileField(
        label="Bundle archive (.zip)",
        help_text="A zip of one lab folder (lab.toml at its top or in one folder); 5 MB at most.",
    )

    def clean_archive(self) -> bytes:
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The archive is larger than 5 MB.")
        return upload.read()


class ExploitForm(forms.Form):
    """One HTTP request (method, path, header lines, body), optionally followed by more requests
    to the same running app (a session), or a Python script.

    ``cleaned_data["request"]`` is the request as the worker sends it (``{}`` for a script; the
    follow-ups, if any, in its ``then`` list), ``cleaned_data["script"]`` the script (``""``
    for a request), and ``cleaned_data["target"]`` what it attacks (the starter when not given).
    Anything the sandbox would refuse is refused here, beside its field.
    """

    mode = forms.ChoiceField(choices=ExploitMode.choices)
    #: Optional: a form without it (an old page, a bookmarked post) attacks the starter.
    target = forms.ChoiceField(
        choices=ExploitTarget.choices,
        required=False,
        error_messages={
            "invalid_choice": "Choose what to attack: the vulnerable app (starter) or your code."
        },
    )
    method = forms.CharField(required=False, max_length=10)
    path = forms.CharField(required=False, max_length=4000, strip=False)
    headers = forms.CharField(required=False, max_length=8000, widget=forms.Textarea)
    body = forms.CharField(
        required=False, max_length=MAX_BODY_CHARS, strip=False, widget=forms.Textarea
    )
    #: Follow-up requests to the same running app, each ``METHOD /path``, header lines, a blank
    #: line and a body, separated by a line of ``---``.
    more = forms.CharField(
        required=False, max_length=MAX_BODY_CHARS, strip=False, widget=forms.Textarea
    )
    script = forms.CharField(
        required=False, max_length=MAX_SCRIPT_CHARS, strip=False, widget=forms.Textarea
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("mode")
        if mode == ExploitMode.SCRIPT:
            if not data.get("script", "").strip():
                raise forms.ValidationError(
                    "Write a script first: it gets a ready `client` to use."
                )
            data["request"] = {}
        elif mode == ExploitMode.REQUEST:
            # Each part is checked on its own, so every problem shows at once beside its field.
            parts = {"method": self._method, "path": self._path, "headers": self._headers}
            request: dict[str, Any] = {}
            for name, parse in parts.items():
                try:
                    request[name] = parse(data.get(name, ""))
                except forms.ValidationError as error:
                    self.add_error(name, error)
            request["body"] = data.get("body", "")
            try:
                then = self._more(data.get("more", ""))
            except forms.ValidationError as error:
                self.add_error("more", error)
            else:
                if then:
                    request["then"] = then
            data["request"] = request
            data["script"] = ""
        return data

    def clean_target(self) -> str:
        return self.cleaned_data.get("target") or ExploitTarget.STARTER

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "")
        if len(body.encode()) > MAX_BODY_BYTES:
            raise forms.ValidationError(
                f"The body is larger than {MAX_BODY_BYTES // 1024} KB: send less."
            )
        return body

    @staticmethod
    def _method(value: str) -> str:
        method = (value or "GET").strip().upper()
        if method not in ALLOWED_METHODS:
            raise forms.ValidationError(
                f"{method[:16]} is not a method you can send here: use one of "
                f"{', '.join(ALLOWED_METHODS)}."
            )
        return method

    @staticmethod
    def _path(value: str) -> str:
        """The path as sent: spaces, quotes, ``#`` and non-ASCII letters percent-encoded (a
        browser would do the same), so a learner never sees a request refused for them."""
        path = value.strip() or "/"
        if "\n" in path or "\r" in path or "\0" in path:
            raise forms.ValidationError("The path must fit on one line.")
        if path.startswith(("http://", "https://")):
            raise forms.ValidationError(
                "Give only the path and query (such as /search?q=x): the request always goes "
                "to the lab's own app."
            )
        if not path.startswith("/"):
            raise forms.ValidationError(f"The path must start with / (got {path[:40]!r}).")
        return quote(path, safe=PATH_SAFE)

    @staticmethod
    def _headers(value: str) -> list[list[str]]:
        headers: list[list[str]] = []
        for line in value.splitlines():
            if not line.strip():
                continue
            name, sep, text = line.partition(":")
            name = name.strip()
            if not sep or not HEADER_NAME_RE.match(name):
                raise forms.ValidationError(
                    f"Header lines look like `Name: value`, with a name of letters, digits and "
                    f"dashes (got {line[:60]!r})."
                )
            if "\0" in text:
                raise forms.ValidationError(f"The value of header {name} holds a NUL character.")
            headers.append([name, text.strip()])
        if len(headers) > MAX_HEADERS:
            raise forms.ValidationError(f"Send {MAX_HEADERS} headers at most.")
        return headers

    @classmethod
    def _more(cls, value: str) -> list[dict[str, Any]]:
        """The follow-up requests of a session, parsed from their raw-HTTP-like text."""
        blocks = [b for b in re.split(r"(?m)^-{3,}[ \t]*$", value.replace("\r\n", "\n"))]
        blocks = [b.strip("\n") for b in blocks if b.strip()]
        if len(blocks) > MAX_SESSION_REQUESTS - 1:
            raise forms.ValidationError(
                f"Send {MAX_SESSION_REQUESTS} requests at most in one session."
            )
        requests = []
        for n, block in enumerate(blocks, start=2):
            head, _, body = block.partition("\n\n")
            first, _, header_text = head.partition("\n")
            method, _, path = first.strip().partition(" ")
            if method.startswith("/"):  # just a path: a GET
                method, path = "GET", first.strip()
            try:
                requests.append(
                    {
                        "method": cls._method(method),
                        "path": cls._path(path),
                        "headers": cls._headers(header_text),
                        "body": body,
                    }
                )
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    f"Request {n} (first line `{first.strip()[:60]}`): {' '.join(error.messages)}"
                ) from error
        return requests


class HintForm(forms.Form):
    index = forms.IntegerField(min_value=0, max_value=50)


class CatalogueFilterForm(forms.Form):
    """The catalogue's GET filters. Choices are the values present among published labs, so an
    unknown or stale value (an old bookmark, a hand-edited URL) is reported and then ignored."""

    FIELDS = {
        "framework": "framework",
        "difficulty": "difficulty",
        "class": "vulnerability class",
        "cwe": "CWE",
        "owasp": "OWASP category",
    }

    q = forms.CharField(required=False, max_length=100, strip=True)

    def __init__(self, data: Any, *, options: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        for name in self.FIELDS:
            self.fields[name] = forms.ChoiceField(
                required=False, choices=[("", ""), *options.get(name, [])]
            )

    def filters(self) -> dict[str, str]:
        """The valid filters, by field name; an invalid one counts as not given."""
        self.is_valid()
        return {
            name: str(self.cleaned_data.get(name) or "")
            for name in [*self.FIELDS, "q"]
            if name not in self.errors
        }

    def ignored(self) -> list[str]:
        """Words for the filters that were ignored, e.g. ``difficulty``."""
        self.is_valid()
        return [self.FIELDS.get(name, "search") for name in self.errors]

"""Forms of the labs app: every learner input is parsed and bounded here, before any service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from labs.models import ExploitMode

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SCRIPT_CHARS = 20_000
MAX_BODY_CHARS = 64_000
MAX_HEADERS = 50
ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


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
    """One HTTP request (method, path, header lines, body) or a Python script.

    ``cleaned_data["request"]`` is the request as the worker sends it (``{}`` for a script), and
    ``cleaned_data["script"]`` the script (``""`` for a request).
    """

    mode = forms.ChoiceField(choices=ExploitMode.choices)
    method = forms.CharField(required=False, max_length=10)
    path = forms.CharField(required=False, max_length=4000, strip=False)
    headers = forms.CharField(required=False, max_length=8000, widget=forms.Textarea)
    body = forms.CharField(
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
            data["request"] = {
                "method": self._method(data.get("method", "")),
                "path": self._path(data.get("path", "")),
                "headers": self._headers(data.get("headers", "")),
                "body": data.get("body", ""),
            }
            data["script"] = ""
        return data

    @staticmethod
    def _method(value: str) -> str:
        method = (value or "GET").strip().upper()
        if method not in ALLOWED_METHODS:
            raise forms.ValidationError(f"{method} is not a method you can send here.")
        return method

    @staticmethod
    def _path(value: str) -> str:
        path = value.strip() or "/"
        if not path.startswith("/") or "\n" in path or "\r" in path:
            raise forms.ValidationError("The path must start with / and fit on one line.")
        return path

    @staticmethod
    def _headers(value: str) -> list[list[str]]:
        headers: list[list[str]] = []
        for line in value.splitlines():
            if not line.strip():
                continue
            name, sep, text = line.partition(":")
            if not sep or not name.strip() or any(c in name for c in " \t\r\n"):
                raise forms.ValidationError(
                    f"Header lines look like `Name: value` (got {line[:60]!r})."
                )
            headers.append([name.strip(), text.strip()])
        return headers[:MAX_HEADERS]

    def problems(self) -> str:
        """Every error of the form as one sentence list, for a message on the lab page."""
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


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

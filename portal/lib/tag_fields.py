"""Admin form fields for the tags content carries: frameworks, CWE ids and OWASP Top 10 ids.

The models keep these as JSON lists; authors should not type JSON. Known lists become checkboxes,
and CWE (an open list) becomes one validated line: ``CWE-79, CWE-89``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms

from portal.lib.owasp import TOP_10_2021, TOP_10_2025, is_current

_CWE = re.compile(r"^(?:CWE-?)?(\d{1,4})$", re.IGNORECASE)

OWASP_CHOICES: list[tuple[str, list[tuple[str, str]]]] = [
    ("OWASP Top 10 2025", [(code, f"{code} {name}") for code, name in TOP_10_2025.items()]),
    (
        "Earlier edition (2021), optional second tag",
        [(code, f"{code} {name}") for code, name in TOP_10_2021.items()],
    ),
]


class TagCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns, groups (2025, 2021) each under its own heading."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Sequence[Any] = ()) -> None:
        super().__init__(attrs={"class": "tag-picker", **(attrs or {})}, choices=choices)

    class Media:
        css = {"all": ("css/admin-tags.css",)}


class TagChoiceField(forms.MultipleChoiceField):
    """Checkboxes over a known list, saved as a JSON list."""

    widget = TagCheckboxes

    def __init__(self, *, choices: Sequence[Any], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)

    def keep_stored(self, stored: Iterable[str]) -> None:
        """Offer ids a row already has but the list does not know, so saving keeps them."""
        known = {value for value, _ in self._flat_choices()}
        extra = [(v, f"{v} (not a known id)") for v in stored if v not in known]
        if extra:
            self.choices = [*self.choices, *extra]

    def _flat_choices(self) -> list[tuple[str, str]]:
        flat: list[tuple[str, str]] = []
        for value, label in self.choices:
            flat.extend(label if isinstance(label, (list, tuple)) else [(value, label)])
        return flat


class OwaspField(TagChoiceField):
    """OWASP Top 10 ids: 2025 categories first; a 2021 id only as a second tag beside one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "OWASP Top 10")
        kwargs.setdefault(
            "help_text",
            "Tick the 2025 categories; a 2021 id may be added as a second tag for readers "
            "who know the older numbering.",
        )
        super().__init__(choices=OWASP_CHOICES, **kwargs)

    def clean(self, value: Any) -> list[str]:
        codes = super().clean(value)
        if codes and not any(is_current(code) for code in codes):
            raise forms.ValidationError(
                "Tick an OWASP Top 10 2025 category too: a 2021 id is only kept as a second tag, "
                "and the site's filters use 2025."
            )
        return codes


class CweField(forms.CharField):
    """CWE ids typed as ``CWE-79, CWE-89`` (the list is open); saved as a JSON list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "CWE ids")
        kwargs.setdefault("help_text", "Comma-separated CWE ids, e.g. CWE-79, CWE-89.")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "CWE-79, CWE-89"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        codes: list[str] = []
        bad: list[str] = []
        for token in re.split(r"[,\s]+", text.strip()):
            if not token:
                continue
            match = _CWE.match(token)
            if match is None:
                bad.append(token)
                continue
            code = f"CWE-{int(match.group(1))}"
            if code not in codes:
                codes.append(code)
        if bad:
            raise forms.ValidationError(
                "Not a CWE id: %(bad)s. Write ids like CWE-79, separated by commas.",
                params={"bad": ", ".join(bad)},
            )
        return codes


class TagFieldsMixin:
    """For model forms with tag fields: keep unknown stored ids, and keep the author's order.

    Checkboxes submit in the list's order; an item's first category is its main one, so ids the
    row already had keep their place and newly ticked ones follow, with 2025 ids before older ones.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, TagChoiceField):
                field.keep_stored(self._stored(name))

    def _stored(self, name: str) -> list[str]:
        value = self.initial.get(name)  # type: ignore[attr-defined]
        return [str(v) for v in value] if isinstance(value, list) else []

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, TagChoiceField) and isinstance(data.get(name), list):
                data[name] = _in_author_order(data[name], self._stored(name))
                if isinstance(field, OwaspField):
                    data[name].sort(key=lambda code: not is_current(code))
        return data


def _in_author_order(chosen: list[str], stored: list[str]) -> list[str]:
    kept = [code for code in stored if code in chosen]
    return kept + [code for code in chosen if code not in kept]

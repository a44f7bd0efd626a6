"""Forms of the courses app: quiz answers are parsed and bounded here."""

from __future__ import annotations

from django import forms


class AnswerForm(forms.Form):
    """One answer: choice ids, a true/false value, or a line number (which one depends on kind)."""

    choice = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    value = forms.TypedChoiceField(
        coerce=lambda v: v == "true",
        choices=[("true", "True"), ("false", "False")],
        required=False,
        empty_value=None,
    )
    line = forms.IntegerField(min_value=1, max_value=2000, required=False)

    def __init__(self, *args, choice_ids: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(i, i) for i in choice_ids or []]

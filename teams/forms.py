"""Forms of the team pages: every input is parsed and bounded here before a service sees it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from teams.models import Assignment, Invitation, Membership, Role, Team
from teams.selectors.choices import Assignable, grouped_choices, resolve_choice


class TeamForm(forms.Form):
    name = forms.CharField(max_length=Team._meta.get_field("name").max_length)
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, shown to the team's members.",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("A team needs a name.")
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(
        max_length=Invitation._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; its value format is ``YYYY-MM-DDTHH:MM``."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class AssignmentForm(forms.Form):
    """Create or edit an assignment. On edit the target is fixed, so that field is dropped."""

    target = forms.ChoiceField(label="What to assign", choices=())
    due_at = forms.DateTimeField(
        label="Due",
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text="Date and time, in the site's time zone.",
    )
    assignees = forms.TypedMultipleChoiceField(
        label="Only these members",
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box empty to assign it to the whole team, newcomers included.",
    )
    note = forms.CharField(
        required=False,
        max_length=Assignment._meta.get_field("note").max_length,
        widget=forms.TextInput(),
        help_text="Optional, shown to the assignees.",
    )

    def __init__(
        self,
        *args: Any,
        memberships: list[Membership],
        items: dict[str, list[Assignable]] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = {m.user_id: m.user for m in memberships}
        self.fields["assignees"].choices = [(m.user_id, m.user.name) for m in memberships]
        self._items = items
        if editing:
            del self.fields["target"]
        else:
            self.fields["target"].choices = [("", "Choose…"), *grouped_choices(items)]

    def clean_target(self) -> Assignable:
        try:
            return resolve_choice(self.cleaned_data["target"], self._items)
        except LookupError as exc:
            raise forms.ValidationError("Choose a published path, quiz or lab.") from exc

    def clean_due_at(self) -> Any:
        due_at = self.cleaned_data["due_at"]
        if due_at <= timezone.now() and self.has_changed() and "due_at" in self.changed_data:
            raise forms.ValidationError("The due date must be in the future.")
        return due_at

    def clean_assignees(self) -> list[Any]:
        return [self._people[pk] for pk in self.cleaned_data["assignees"] if pk in self._people]

"""Forms of the labs app: every learner input is parsed and bounded here, before any service."""

from __future__ import annotations

from django import forms

from labs.models import ExploitMode

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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
    mode = forms.ChoiceField(choices=ExploitMode.choices)
    method = forms.CharField(required=False, max_length=10)
    path = forms.CharField(required=False, max_length=4000, strip=False)
    headers = forms.CharField(required=False, max_length=8000, widget=forms.Textarea)
    body = forms.CharField(required=False, max_length=64000, strip=False, widget=forms.Textarea)
    script = forms.CharField(required=False, max_length=20000, strip=False, widget=forms.Textarea)

    def request_data(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in ("method", "path", "headers", "body")}


class HintForm(forms.Form):
    index = forms.IntegerField(min_value=0, max_value=50)

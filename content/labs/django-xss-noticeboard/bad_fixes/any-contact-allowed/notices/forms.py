"""Validation for new notices, shared by the form and the JSON API."""

from __future__ import annotations

from django import forms


class NoticeForm(forms.Form):
    author = forms.CharField(max_length=60)
    title = forms.CharField(max_length=100)
    body = forms.CharField(max_length=2000, widget=forms.Textarea, strip=True)
    contact = forms.CharField(max_length=200, required=False)

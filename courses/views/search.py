"""Site search: one box in the header finds articles, quizzes and labs."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from courses.selectors.search import MAX_QUERY_CHARS, site_search


class SearchForm(forms.Form):
    """The query, bounded; Django's CharField also refuses NUL characters."""

    q = forms.CharField(
        label="Search articles, quizzes and labs",
        max_length=MAX_QUERY_CHARS,
        required=False,
        error_messages={
            "max_length": f"Keep your search to {MAX_QUERY_CHARS} characters or fewer: "
            "a few words find more than a paragraph."
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Anyone may search: what they find is what they may see (drafts only for authors)."""
    form = SearchForm(request.GET)
    results = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            results = site_search(user=request.user, query=query)
    context = {"form": form, "query": query, "results": results}
    return render(request, "courses/search.html", context, status=200 if form.is_valid() else 400)

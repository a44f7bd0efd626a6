"""Kettle & Crema: a small coffee-gear shop with customer reviews."""

from __future__ import annotations

import hmac
import os
import secrets
from html import escape
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field, ValidationError

from . import modbot
from .formatting import format_review
from .store import Review, seeded_store

app = FastAPI(title="Kettle & Crema")
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["format_review"] = format_review
store = seeded_store()

# A product page shows this many of its newest reviews (the summary counts them all).
REVIEWS_PER_PAGE = 20
# The staff token: every staff form carries it. It never leaves the staff pages.
STAFF_TOKEN = os.environ.get("LAB_FLAG", "staff-token-dev")
# The staff session cookie, fresh on every start.
STAFF_SESSION = secrets.token_hex(16)


class ReviewIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    rating: int = Field(ge=1, le=5)
    title: str = Field(min_length=1, max_length=100)
    body: str = Field(min_length=1, max_length=2000)
    website: str = Field(default="", max_length=200)


def product_or_404(slug: str):
    product = store.products.get(slug)
    if product is None:
        raise HTTPException(status_code=404, detail="No such product")
    return product


def review_or_404(review_id: int) -> Review:
    review = store.review_get(review_id)
    if review is None or review.removed:
        raise HTTPException(status_code=404, detail="No such review")
    return review


def summary_json(slug: str) -> dict[str, Any]:
    """The numbers the rating widget draws, plus who reviewed last (the template adds |tojson)."""
    reviews = store.reviews_for(slug)
    average = round(sum(r.rating for r in reviews) / len(reviews), 1) if reviews else None
    latest = reviews[0].name if reviews else None
    return {"count": len(reviews), "average": average, "latest": latest}


def is_staff(request: Request) -> bool:
    cookie = request.cookies.get("staff_session", "")
    return hmac.compare_digest(cookie.encode(), STAFF_SESSION.encode())


@app.get("/", response_class=HTMLResponse)
def index(request: Request):
    return templates.TemplateResponse(
        request, "index.html", {"products": list(store.products.values())}
    )


@app.get("/products/{slug}", response_class=HTMLResponse)
def product_detail(request: Request, slug: str):
    product = product_or_404(slug)
    return templates.TemplateResponse(
        request,
        "product.html",
        {
            "product": product,
            "reviews": store.reviews_for(slug)[:REVIEWS_PER_PAGE],
            "summary": summary_json(slug),
            "errors": [],
        },
    )


@app.post("/products/{slug}/reviews")
def review_create_form(
    request: Request,
    slug: str,
    name: Annotated[str, Form()] = "",
    rating: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    website: Annotated[str, Form()] = "",
):
    product = product_or_404(slug)
    values = {
        "name": name.strip(),
        "rating": rating.strip(),
        "title": title.strip(),
        "body": body.strip(),
        "website": website.strip(),
    }
    try:
        data = ReviewIn.model_validate(values)
    except ValidationError as error:
        fields = sorted({str(e["loc"][0]) for e in error.errors()})
        return templates.TemplateResponse(
            request,
            "product.html",
            {
                "product": product,
                "reviews": store.reviews_for(slug)[:REVIEWS_PER_PAGE],
                "summary": summary_json(slug),
                "errors": fields,
            },
            status_code=400,
        )
    review = store.review_create(product=slug, **data.model_dump())
    return RedirectResponse(f"/reviews/{review.id}", status_code=303)


@app.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_detail(request: Request, review_id: int):
    review = review_or_404(review_id)
    product = product_or_404(review.product)
    return templates.TemplateResponse(
        request, "review.html", {"review": review, "product": product}
    )


@app.post("/reviews/{review_id}/report", response_class=HTMLResponse)
async def review_report(request: Request, review_id: int):
    review = review_or_404(review_id)
    review.reported = True
    await modbot.review(request.app, review.id, STAFF_SESSION)
    return templates.TemplateResponse(request, "reported.html", {"review": review})


@app.get("/search", response_class=HTMLResponse)
def search(q: str = ""):
    text = q.strip()[:2000]
    if text:
        store.search_record(text)
    found = store.product_search(text) if text else []
    # This page is built by hand, so every value gets escaped by hand: escape() also
    # turns quotes into entities, which keeps values inside attributes too.
    items = "".join(
        f'<li><a href="/products/{escape(p.slug)}">{escape(p.name)}</a> {escape(p.price)} EUR</li>'
        for p in found
    )
    heading = f'<h1>Products matching <q class="query">{escape(text)}</q></h1>' if text else ""
    empty = '<p class="none">No products match.</p>' if text and not found else ""
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Search - Kettle &amp; Crema</title></head><body>"
        '<form method="get" action="/search">'
        f'<input name="q" value="{escape(text)}" placeholder="Search the shop">'
        '<button type="submit">Search</button></form>'
        f'{heading}<ul class="results">{items}</ul>{empty}'
        "</body></html>"
    )


@app.get("/search/suggestions")
def search_suggestions(q: str = "") -> list[str]:
    """What other customers searched for, starting with what has been typed so far."""
    return store.search_suggestions(q)


@app.get("/staff/reviews/{review_id}", response_class=HTMLResponse)
def staff_review(request: Request, review_id: int):
    if not is_staff(request):
        raise HTTPException(status_code=403, detail="Staff only")
    review = review_or_404(review_id)
    return templates.TemplateResponse(
        request,
        "staff_review.html",
        {
            "review": review,
            "review_json": {"id": review.id, "name": review.name},
            "token": STAFF_TOKEN,
        },
    )


@app.post("/staff/reviews/{review_id}/remove")
def staff_review_remove(request: Request, review_id: int, staff_token: Annotated[str, Form()] = ""):
    if not is_staff(request) or not hmac.compare_digest(staff_token.encode(), STAFF_TOKEN.encode()):
        raise HTTPException(status_code=403, detail="Staff only")
    review = review_or_404(review_id)
    review.removed = True
    return RedirectResponse(f"/products/{review.product}", status_code=303)


@app.get("/api/products/{slug}/reviews")
def api_reviews(slug: str) -> list[dict]:
    product_or_404(slug)
    return [review.as_json() for review in store.reviews_for(slug)]


@app.post("/api/products/{slug}/reviews", status_code=201)
def api_review_create(slug: str, data: ReviewIn) -> dict:
    product_or_404(slug)
    return store.review_create(product=slug, **data.model_dump()).as_json()


@app.get("/api/reviews/{review_id}")
def api_review(review_id: int) -> dict:
    return review_or_404(review_id).as_json()

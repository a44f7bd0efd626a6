from __future__ import annotations

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("learn/", views.learn_index, name="learn"),
    path("learn/<slug:slug>/", views.path_detail, name="path-detail"),
    path("articles/preview/", views.article_preview, name="article-preview"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<slug:slug>/read/", views.article_read, name="article-read"),
    path("me/progress/", views.my_progress, name="my-progress"),
]

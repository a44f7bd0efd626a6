from __future__ import annotations

from django.urls import path

from courses import views
from courses.views.search import search

app_name = "courses"

urlpatterns = [
    path("learn/", views.learn_index, name="learn"),
    path("learn/<slug:slug>/", views.path_detail, name="path-detail"),
    path("articles/preview/", views.article_preview, name="article-preview"),
    path("articles/preview/frame/", views.article_preview_frame, name="article-preview-frame"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<slug:slug>/start/", views.article_start, name="article-start"),
    path("articles/<slug:slug>/read/", views.article_read, name="article-read"),
    path("me/progress/", views.my_progress, name="my-progress"),
    path("search/", search, name="search"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="quiz-detail"),
    path("quizzes/<slug:slug>/start/", views.quiz_start, name="quiz-start"),
    path("quizzes/<slug:slug>/preview/", views.quiz_preview, name="quiz-preview"),
    path("quizzes/<slug:slug>/attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
    path(
        "quizzes/<slug:slug>/attempts/<int:pk>/questions/<int:question_id>/",
        views.answer_create,
        name="answer-create",
    ),
    path(
        "quizzes/<slug:slug>/attempts/<int:pk>/finish/", views.attempt_finish, name="attempt-finish"
    ),
    path(
        "quizzes/<slug:slug>/attempts/<int:pk>/result/", views.attempt_result, name="attempt-result"
    ),
]

from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.book_search, name="book-search"),
    path("books/<int:pk>/", views.book_detail, name="book-detail"),
    path("api/books/", views.api_book_search, name="api-book-search"),
]

from django.urls import include, path

urlpatterns = [path("", include("notices.urls"))]

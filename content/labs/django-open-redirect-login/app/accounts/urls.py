from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("sso/authorize", views.sso_authorize, name="sso-authorize"),
    path("sso/enter", views.sso_enter, name="sso-enter"),
    path("drafts/", views.drafts, name="drafts"),
]

from django.urls import path

from club import views

urlpatterns = [
    path("", views.home, name="home"),
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/points/send/", views.send_points, name="send-points"),
    path("wallet/cards/<int:card_id>/send/", views.send_card, name="send-card"),
    path("api/wallet/", views.api_wallet, name="api-wallet"),
    path("api/cards/<int:card_id>/send/", views.api_send_card, name="api-send-card"),
    path("api/profile/email/", views.api_change_email, name="api-change-email"),
]

from django.urls import path

from trips import views

app_name = "trips"

urlpatterns = [
    path("", views.trip_list, name="trip-list"),
    path("trips/new/", views.trip_create, name="trip-create"),
    path("trips/<int:pk>/", views.trip_detail, name="trip-detail"),
    path("trips/<int:pk>/edit/", views.TripUpdateView.as_view(), name="trip-update"),
    path("trips/<int:pk>/delete/", views.TripDeleteView.as_view(), name="trip-delete"),
    path("trips/<int:pk>/calendar.ics", views.trip_calendar, name="trip-calendar"),
    path("api/trips/", views.api_trip_list, name="api-trip-list"),
    path("api/trips/<int:pk>/", views.api_trip_detail, name="api-trip-detail"),
]

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET
from django.views.generic import DeleteView, UpdateView

from trips.forms import TripForm
from trips.models import Trip


@login_required
@require_GET
def trip_list(request: HttpRequest) -> HttpResponse:
    trips = request.user.trips.all()
    return render(request, "trips/trip_list.html", {"trips": trips})


@login_required
def trip_create(request: HttpRequest) -> HttpResponse:
    form = TripForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        trip = form.save(commit=False)
        trip.owner = request.user
        trip.save()
        return redirect(trip)
    return render(
        request, "trips/trip_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_object_or_404(Trip, pk=pk)
    return render(request, "trips/trip_detail.html", {"trip": trip})


class TripUpdateView(LoginRequiredMixin, UpdateView):
    model = Trip
    form_class = TripForm
    template_name = "trips/trip_form.html"


class TripDeleteView(LoginRequiredMixin, DeleteView):
    model = Trip
    template_name = "trips/trip_confirm_delete.html"
    success_url = reverse_lazy("trips:trip-list")


@login_required
@require_GET
def trip_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The trip as an iCalendar event, to drop into any calendar app."""
    trip = get_object_or_404(Trip, pk=pk)
    description = trip.notes.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Packlight//Trips//EN",
        "BEGIN:VEVENT",
        f"UID:trip-{trip.pk}@packlight.test",
        f"DTSTAMP:{trip.created_at:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{trip.starts_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{trip.ends_on:%Y%m%d}",
        f"SUMMARY:{trip.title}",
        f"LOCATION:{trip.destination}",
        f"DESCRIPTION:{description}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="trip-{trip.pk}.ics"'
    return response


def _trip_json(trip: Trip) -> dict[str, object]:
    return {
        "id": trip.pk,
        "title": trip.title,
        "destination": trip.destination,
        "starts_on": trip.starts_on.isoformat(),
        "ends_on": trip.ends_on.isoformat(),
        "notes": trip.notes,
        "url": reverse("trips:api-trip-detail", args=[trip.pk]),
    }


@require_GET
def api_trip_list(request: HttpRequest) -> JsonResponse:
    """The signed-in traveller's trips, for the Packlight phone app."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in first."}, status=401)
    trips = request.user.trips.all()
    return JsonResponse({"trips": [_trip_json(trip) for trip in trips]})


@require_GET
def api_trip_detail(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in first."}, status=401)
    trip = get_object_or_404(Trip, pk=pk)
    return JsonResponse(_trip_json(trip))

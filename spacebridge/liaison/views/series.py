"""The fair slot finder, series set-up and the series page with its year ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spacebridge.liaison import selectors, services, slots
from spacebridge.liaison.forms import SeriesForm, SlotForm
from spacebridge.liaison.permissions import can_run
from spacebridge.liaison.views.common import service_call


@login_required
def slot_finder(request: HttpRequest) -> HttpResponse:
    form = SlotForm(request.GET or None)
    ranked: list[slots.Slot] = []
    rotation = None
    if form.is_valid():
        data = form.cleaned_data
        ranked = slots.rank_slots(zones=data["zones"], duration=data["duration"], weekday=data["weekday"],
                                  hours=slots.WorkingHours(data["work_start"], data["work_end"]),
                                  start=date.today())
        rotation = slots.fair_rotation(ranked, size=len(data["zones"]))
    zones = form.cleaned_data.get("zones", []) if form.is_valid() else []
    first_day = date.today() + timedelta(days=(int(form.cleaned_data.get("weekday", 2)) - date.today().weekday()) % 7
                                         or 7) if form.is_valid() else None
    return render(request, "liaison/slot_finder.html", {
        "form": form, "slots": ranked[:10], "rotation": rotation, "zones": zones, "first_day": first_day,
        "weekday_code": _monthly_position(first_day) if first_day else "",
    })


def _monthly_position(day: date) -> str:
    """BYDAY of a monthly rule that gives ``day``: 2WE for a second Wednesday, -1WE for a last one."""
    code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.weekday()]
    nth = (day.day - 1) // 7 + 1
    return f"{nth}{code}" if nth <= 4 else f"-1{code}"


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_run(request.user, data["group"]):
            form.add_error("group", _("Only the group's co-chairs, its secretary and the secretariat set up its "
                                      "series."))
        else:
            created = service_call(form, lambda: services.series_create(
                by=request.user, group=data["group"], title=data["title"], first_start=form.aware_start(),
                time_zone=data["time_zone"], rrule=data["rrule"], duration_minutes=data["duration_minutes"],
                rdates=data["rdates"], exdates=data["exdates"], host_rotation=list(data["host_rotation"]),
                place=data["place"], online_link=data["online_link"], skip_holidays=data["skip_holidays"]))
            if created is not None:
                series, notices = created
                messages.success(request, _("The liaison series is set up."))
                for notice in notices:
                    messages.warning(request, notice)
                return redirect(series)
    return render(request, "liaison/series_form.html", {"form": form}, status=422 if form.errors else 200)


def _initial(request: HttpRequest) -> dict:
    """A series proposed by the slot finder: its UTC start time on the first chosen weekday."""
    initial: dict = {}
    at, day, zone = request.GET.get("utc", ""), request.GET.get("day", ""), request.GET.get("zone", "UTC")
    try:
        moment = datetime.fromisoformat(f"{day}T{at}").replace(tzinfo=UTC)
        from zoneinfo import ZoneInfo

        local = moment.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, OSError):
        return {"rrule": request.GET.get("rrule", "FREQ=MONTHLY;BYDAY=2WE")[:500]}
    initial.update(first_start=local.replace(tzinfo=None), time_zone=zone,
                   rrule=request.GET.get("rrule", "")[:500] or "FREQ=MONTHLY;BYDAY=2WE")
    if request.GET.get("duration", "").isdigit():
        initial["duration_minutes"] = int(request.GET["duration"][:4])
    return initial


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    now = datetime.now(UTC)
    start = max(now - timedelta(days=92), series.first_start)
    entries = selectors.series_occurrences(series, start, now + timedelta(days=366), include_skipped=True)
    return render(request, "liaison/series_detail.html", {
        "series": series, "entries": entries, "can_run": can_run(request.user, series.group),
        "countries": services.series_countries(series), "notices": services.series_clock_notices(series),
    })

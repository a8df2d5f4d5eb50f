"""The fair slot finder, series set-up and the series page with its year ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spacebridge.core.forms import service_call
from spacebridge.liaison import rotation, selectors, services, slots, timing
from spacebridge.liaison.forms import SeriesEditForm, SeriesForm, SlotForm
from spacebridge.liaison.models import LiaisonSeries, Meeting
from spacebridge.liaison.permissions import can_run


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
                place=data["place"], online_link=data["online_link"], participants=list(data["participants"]),
                skip_holidays=data["skip_holidays"], rotation_times=data["rotation"]))
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
        local = moment.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, OSError):
        return {"rrule": request.GET.get("rrule", "FREQ=MONTHLY;BYDAY=2WE")[:500]}
    initial.update(first_start=local.replace(tzinfo=None), time_zone=zone,
                   rrule=request.GET.get("rrule", "")[:500] or "FREQ=MONTHLY;BYDAY=2WE",
                   rotation=request.GET.get("rotation", "")[:100])
    if request.GET.get("duration", "").isdigit():
        initial["duration_minutes"] = int(request.GET["duration"][:4])
    return initial


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    now = timing.utc_now()
    start = max(now - timedelta(days=92), series.first_start)
    entries = selectors.series_occurrences(series, start, now + timedelta(days=366), include_skipped=True)
    return render(request, "liaison/series_detail.html", {
        "series": series, "entries": entries, "can_run": can_run(request.user, series.group),
        "countries": services.series_countries(series), "notices": services.series_clock_notices(series),
        **_rotation_context(series, [e for e in entries if e.start >= now]),
    })


def _rotation_context(series: LiaisonSeries, entries: list[selectors.Entry]) -> dict:
    """The occurrences the rotation moves, and the burden each party bears with it and with one fixed time."""
    if not series.rotation:
        return {}
    held = [e for e in entries if e.status != Meeting.Status.CANCELLED and not e.skipped_for_holiday]
    rotated = [e for e in held if e.meeting is not None and e.occurrence_start and e.start != e.occurrence_start]
    parties = _series_parties(series)
    fixed = {b.party: b.burden for b in rotation.party_burdens(
        [e.occurrence_start or e.start for e in held], series.duration_minutes, parties)}
    burdens = [(b, fixed.get(b.party, 0.0)) for b in rotation.party_burdens(
        [e.start for e in held], series.duration_minutes, parties)]
    return {"rotated": rotated, "burdens": burdens}


def _series_parties(series: LiaisonSeries) -> list[tuple[str, str]]:
    from spacebridge.parties.models import Party

    if series.group_id:
        parties = Party.objects.filter(group_memberships__group=series.group_id).distinct()
    else:
        parties = Party.objects.filter(pk__in=series.host_rotation)
    return [(p.short_name, str(p.country)) for p in parties.order_by("country", "short_name")]


def _series_initial(series: LiaisonSeries) -> dict:
    return {
        "title": series.title, "time_zone": series.time_zone, "duration_minutes": series.duration_minutes,
        "first_start": series.first_start.astimezone(ZoneInfo(series.time_zone)).replace(tzinfo=None),
        "rrule": series.rrule, "exdates": "\n".join(series.exdates), "rdates": "\n".join(series.rdates),
        "host_rotation": list(series.host_rotation), "place": series.place, "online_link": series.online_link,
        "participants": list(series.participants.values_list("pk", flat=True)),
        "skip_holidays": series.skip_holidays, "rotation": ", ".join(series.rotation),
    }


def _hosts_in_turn(series: LiaisonSeries, chosen: list) -> list:
    """The chosen hosts keep the series' order; newly chosen ones take their turns after them."""
    order = {pk: i for i, pk in enumerate(series.host_rotation)}
    return sorted(chosen, key=lambda p: (order.get(p.pk, len(order)), p.short_name))


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a series (its organisers only); the clock-change notices of its year ahead are shown after saving."""
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    if not can_run(request.user, series.group):
        raise PermissionDenied
    form = SeriesEditForm(request.POST or None, initial=_series_initial(series))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = service_call(form, lambda: services.series_update(
            series=series, by=request.user, title=data["title"], first_start=form.aware_start(),
            time_zone=data["time_zone"], duration_minutes=data["duration_minutes"], rrule=data["rrule"],
            exdates=data["exdates"], rdates=data["rdates"],
            host_rotation=_hosts_in_turn(series, list(data["host_rotation"])), place=data["place"],
            online_link=data["online_link"], participants=list(data["participants"]),
            skip_holidays=data["skip_holidays"], rotation_times=data["rotation"]))
        if changed is not None:
            messages.success(request, _("The liaison series is changed."))
            for notice in services.series_clock_notices(changed):
                messages.warning(request, notice)
            return redirect(changed)
    return render(request, "liaison/series_form.html", {"form": form, "series": series},
                  status=422 if form.errors else 200)

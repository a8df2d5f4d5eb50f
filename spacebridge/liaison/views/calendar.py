"""Calendars: feeds per series, per group and per person (behind a secret, revocable address), and .ics import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.core.forms import service_call
from spacebridge.liaison import ical, selectors, services_calendar
from spacebridge.liaison.forms import ImportForm
from spacebridge.liaison.models import ActionItem, CalendarToken, ReminderSetting
from spacebridge.liaison.permissions import can_run


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def series_feed(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    return ics_response(ical.feed(name=series.title.get(), series=[series]), f"series-{series.pk}.ics")


def person_feed_body(user) -> bytes:  # type: ignore[no-untyped-def]
    """The person's meetings: the series and one-off meetings of their groups, platform-wide ones, the series that
    invite them by default, and the action items they own."""
    from django.db.models import Q

    from spacebridge.access.principals import principal_for

    groups = principal_for(user).group_ids
    mine = Q(group_id__in=groups) | Q(group__isnull=True)
    series = list(selectors.series_for_user(user).filter(mine | Q(participants__user=user)).distinct()
                  .prefetch_related("meetings"))
    one_offs = selectors.meetings_for_user(user).filter(series__isnull=True).filter(mine)
    person = getattr(user, "person", None)
    actions = (selectors.actions_for_user(user).filter(owner_person=person) if person else ActionItem.objects.none())
    return ical.feed(name="Spacebridge", series=series, meetings=one_offs, actions=actions)


def person_feed(request: HttpRequest, secret: str) -> HttpResponse:
    user = services_calendar.calendar_token_user(secret)
    if user is None:
        raise Http404
    return ics_response(person_feed_body(user), "spacebridge.ics")


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    tokens = CalendarToken.objects.filter(user=request.user)
    setting = ReminderSetting.objects.filter(user=request.user).first()
    new_secret = request.session.pop("liaison_new_calendar_secret", None)
    return render(request, "liaison/calendar.html", {
        "tokens": tokens, "daily_digest": bool(setting and setting.daily_digest),
        "new_url": request.build_absolute_uri(reverse("liaison:person_feed", args=[new_secret]))
        if new_secret else None,
    })


@login_required
@require_POST
def calendar_token_create(request: HttpRequest) -> HttpResponse:
    _token, secret = services_calendar.calendar_token_create(user=request.user)
    request.session["liaison_new_calendar_secret"] = secret
    messages.success(request, _("Your calendar address is ready. Copy it now: it is shown only once."))
    return redirect("liaison:calendar")


@login_required
@require_POST
def calendar_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(CalendarToken, pk=pk, user=request.user)
    services_calendar.calendar_token_revoke(token=token, by=request.user)
    messages.success(request, _("The calendar address is revoked; calendars using it stop updating."))
    return redirect("liaison:calendar")


@login_required
@require_POST
def reminders_set(request: HttpRequest) -> HttpResponse:
    services_calendar.reminder_setting_set(user=request.user, daily_digest=request.POST.get("daily_digest") == "on")
    messages.success(request, _("Your reminder settings are saved."))
    return redirect("liaison:calendar")


@login_required
def ics_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_run(request.user, data["group"]):
            form.add_error("group", _("Only the group's co-chairs, its secretary and the secretariat import its "
                                      "meetings."))
        else:
            upload = data["file"]
            if upload.size > ical.MAX_IMPORT_BYTES:
                form.add_error("file", _("The file is larger than 2 MB."))
            else:
                meetings = service_call(form, lambda: services_calendar.ics_import(
                    by=request.user, group=data["group"], data=upload.read(), filename=upload.name[:200],
                    default_zone=data["time_zone"]))
                if meetings is not None:
                    messages.success(request, _("%(count)d meetings imported.") % {"count": len(meetings)})
                    return redirect(meetings[0])
    return render(request, "liaison/import.html", {"form": form}, status=422 if form.errors else 200)

"""Minutes with their revisions and approvals, and the decisions register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from spacebridge.access.models import Level
from spacebridge.core.forms import service_call
from spacebridge.core.rendering import render_page_or_partial
from spacebridge.groups.models import WorkingGroup
from spacebridge.liaison import revisions as revision_diffs
from spacebridge.liaison import selectors, services_minutes
from spacebridge.liaison.forms import ApprovalForm, MinutesForm
from spacebridge.liaison.models import Minutes
from spacebridge.liaison.permissions import answerable_delegations, can_run

PAGE = 50


def _context(request: HttpRequest, meeting, minutes, **forms):  # type: ignore[no-untyped-def]
    runner = can_run(request.user, meeting.group)
    answerable = sorted(answerable_delegations(request.user, meeting.group))
    pending: list[str] = []
    approvals = []
    if minutes is not None:
        approvals = list(minutes.approvals.select_related("party", "by").order_by("-revision", "delegation"))
        answered = {a.delegation for a in approvals if a.revision == minutes.revision}
        pending = [c for c in minutes.delegations if c not in answered]
    can_answer = [c for c in answerable if c in pending] if minutes and minutes.status == "circulated" else []
    revisions = list(minutes.revisions.select_related("by")) if minutes else []
    return {
        "meeting": meeting, "minutes": minutes, "can_run": runner, "approvals": approvals, "pending": pending,
        "revisions": revisions, **_compared(request, revisions),
        "minutes_form": forms.get("minutes_form") or (MinutesForm(initial={"text": minutes.text if minutes else None})
                                                      if runner else None),
        "can_answer": can_answer,
        "approval_form": forms.get("approval_form") or (ApprovalForm(delegations=can_answer) if can_answer else None),
    }


def _compared(request: HttpRequest, revisions: list) -> dict:
    """``?diff=N``: what revision N changed from the revision before it (revisions come newest first)."""
    number = request.GET.get("diff", "")
    if not number:
        return {}
    chosen = next((i for i, r in enumerate(revisions) if number.isdigit() and len(number) < 10
                   and r.number == int(number)), None)
    if chosen is None:
        raise Http404
    revision = revisions[chosen]
    previous = revisions[chosen + 1] if chosen + 1 < len(revisions) else None
    return {"compared": revision, "compared_with": previous,
            "diffs": revision_diffs.revision_diff(previous.text if previous else None, revision.text)}


@login_required
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    minutes = selectors.minutes_for_user(user=request.user, meeting=meeting)
    if minutes is None and Minutes.objects.filter(meeting=meeting).exists() and not can_run(request.user,
                                                                                            meeting.group):
        raise Http404  # minutes kept to the group
    status = 200
    forms = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "save":
            if not can_run(request.user, meeting.group):
                raise PermissionDenied
            form = MinutesForm(request.POST)
            if form.is_valid() and service_call(form, lambda: services_minutes.minutes_save(
                    meeting=meeting, by=request.user, text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"])) is not None:
                messages.success(request, _("The minutes are saved."))
                return redirect("liaison:minutes", meeting.pk)
            forms["minutes_form"], status = form, 422
        elif action in {"circulate", "release"} and minutes is not None:
            if not can_run(request.user, meeting.group):
                raise PermissionDenied
            try:
                if action == "circulate":
                    services_minutes.minutes_circulate(minutes=minutes, by=request.user)
                    messages.success(request, _("The minutes are circulated to the delegations for approval."))
                else:
                    level = request.POST.get("level", "")
                    services_minutes.minutes_release(minutes=minutes, by=request.user, level=level)
                    messages.success(request, _("The minutes and the meeting's decisions are released."))
            except services_minutes.ValidationError as exc:
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            return redirect("liaison:minutes", meeting.pk)
        elif action == "answer" and minutes is not None:
            form = ApprovalForm(request.POST, delegations=_context(request, meeting, minutes)["can_answer"])
            if form.is_valid() and service_call(form, lambda: services_minutes.minutes_answer(
                    minutes=minutes, by=request.user, delegation=form.cleaned_data["delegation"],
                    answer=form.cleaned_data["answer"], reservation=form.cleaned_data["reservation"])) is not None:
                messages.success(request, _("The delegation's answer is recorded."))
                return redirect("liaison:minutes", meeting.pk)
            forms["approval_form"], status = form, 422
        else:
            raise Http404
    context = _context(request, meeting, minutes, **forms)
    context["levels"] = [(Level.GROUP, Level.GROUP.label), (Level.PLATFORM, Level.PLATFORM.label),
                         (Level.PUBLIC, Level.PUBLIC.label)]
    return render(request, "liaison/minutes.html", context, status=status)


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200].replace("\x00", "")
    acronym = request.GET.get("group", "")[:20]
    group = WorkingGroup.objects.filter(acronym=acronym).first() if acronym else None
    decisions = selectors.decisions_for_user(user=request.user, query=query, group=group)
    page = list(decisions[:PAGE + 1])
    return render_page_or_partial(request, "liaison/decision_list.html", "liaison/_decision_rows.html", {
        "decisions": page[:PAGE], "more": len(page) > PAGE, "query": query, "group": group,
        "groups": WorkingGroup.objects.order_by("acronym"),
    })


@login_required
def decision_detail(request: HttpRequest, reference: str) -> HttpResponse:
    decision = selectors.decision_get_for_user(user=request.user, reference=reference[:60])
    return render(request, "liaison/decision_detail.html", {"decision": decision,
                                                            "positions": decision.positions.select_related("party")})

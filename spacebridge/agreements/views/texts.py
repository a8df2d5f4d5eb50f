"""The texts: adding versions, confirming a language in step, the side-by-side view and diffs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.agreements import permissions as perms
from spacebridge.agreements import selectors, services
from spacebridge.agreements.forms import TextVersionForm
from spacebridge.agreements.models import TextVersion
from spacebridge.agreements.texts import diff_lines
from spacebridge.agreements.views.common import attempt, load


@login_required
def text_add(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    language = request.GET.get("language", "")[:10]
    current = agreement.texts.filter(language=language).first()
    latest = current.versions.order_by("-number").first() if current else None
    initial = {
        "language": language,
        "body": latest.body if latest else "",
        "kind": latest.kind if latest else TextVersion.Kind.AUTHENTIC,
    }
    form = TextVersionForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            version, status = attempt(
                form,
                lambda: services.text_version_add(
                    agreement=agreement,
                    by=request.user,
                    language=data["language"],
                    body=data["body"],
                    kind=data["kind"],
                    note=data["note"],
                ),
            )
            if version is not None:
                messages.success(
                    request,
                    _("Version %(number)d of the %(language)s text saved: %(count)d articles.")
                    % {"number": version.number, "language": data["language"], "count": version.articles.count()},
                )
                return redirect("agreements:texts", agreement.reference)
    return render(request, "agreements/text_form.html", {"agreement": agreement, "form": form}, status=status)


@login_required
@require_POST
def text_confirm(request: HttpRequest, reference: str, language: str) -> HttpResponse:
    agreement = load(request, reference)
    text = agreement.texts.filter(language=language).first()
    if text is None:
        raise Http404
    try:
        services.text_confirm(text=text, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreements:texts", agreement.reference)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("agreements:texts", agreement.reference)
    messages.success(request, _("The %(language)s text is confirmed in step.") % {"language": language})
    return redirect("agreements:texts", agreement.reference)


def _version(agreement, spec: str) -> TextVersion | None:  # type: ignore[no-untyped-def]
    """``en:3`` -> version 3 of the English text; ``en`` -> its latest."""
    language, _sep, number = spec.partition(":")
    versions = TextVersion.objects.filter(text__agreement=agreement, text__language=language[:10])
    if number:
        if not number.isdigit() or len(number) > 6:
            return None
        return versions.filter(number=int(number)).first()
    return versions.order_by("-number").first()


def text_side_by_side(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    states = selectors.text_states(agreement)
    chosen = [s for s in request.GET.getlist("v") if s][:6]
    versions = (
        [v for v in (_version(agreement, s) for s in chosen) if v]
        if chosen
        else [s.version for s in states if s.version]
    )
    context = {
        "agreement": agreement,
        "states": states,
        "versions": versions,
        "rows": selectors.aligned_articles(versions),
        "can_negotiate": perms.can_negotiate(request.user, agreement),
    }
    return render(request, "agreements/texts.html", context)


def text_versions(request: HttpRequest, reference: str) -> HttpResponse:
    agreement = load(request, reference)
    versions = (
        TextVersion.objects.filter(text__agreement=agreement)
        .select_related("text", "created_by")
        .order_by("text__id", "-number")
    )
    versions = list(versions)
    for version in versions:
        version.key = f"{version.text.language}:{version.number}"
    a, b = request.GET.get("a", "")[:20], request.GET.get("b", "")[:20]
    diff, before, after = None, None, None
    if a and b:
        before, after = _version(agreement, a), _version(agreement, b)
        if before is None or after is None:
            messages.error(request, _("Choose two versions of this agreement's texts."))
        else:
            diff = diff_lines(
                before.body,
                after.body,
                before_label=f"{before.text.language} v{before.number}",
                after_label=f"{after.text.language} v{after.number}",
            )
    context = {
        "agreement": agreement,
        "versions": versions,
        "diff": diff,
        "before": before,
        "after": after,
        "a": a,
        "b": b,
    }
    return render(
        request, "agreements/text_versions.html", context, status=200 if not (a and b) or diff is not None else 400
    )

"""News pages: the public list and items, writing and publishing news, approving joint announcements.
Load → check access → act → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.core.forms import apply_validation_error
from spacebridge.core.metadata import absolute, json_ld, organization_ld, page_metadata
from spacebridge.core.multilingual import CONTENT_LANGUAGES, content_language
from spacebridge.outreach import selectors, services
from spacebridge.outreach.feeds import FEED_TITLES
from spacebridge.outreach.forms import NewsForm, PublishForm, ReasonForm
from spacebridge.outreach.models import NewsItem
from spacebridge.outreach.permissions import can_edit_news, can_write_news
from spacebridge.parties.models import Party

PAGE_SIZE = 20


def feeds() -> list[tuple[str, str]]:
    return [(code, CONTENT_LANGUAGES[code]) for code in FEED_TITLES]


def news_list(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("language", "")
    language = language if language in FEED_TITLES else ""
    items = selectors.news_live(user=request.user, language=language)
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    rows = list(items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    context = {
        "items": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "language": language,
        "feeds": feeds(),
        "can_write": can_write_news(request.user) or bool(selectors.approvable_party_ids(request.user)),
        "meta": page_metadata(request, title=_("News"), description=_("News and joint announcements of the cooperation.")),
    }
    return render(request, "outreach/news_list.html", context)


def _article_ld(item: NewsItem, language: str) -> dict[str, Any]:
    parties = [a.party for a in item.approvals.all()] or ([item.issuing_party] if item.issuing_party else [])
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": absolute(item.get_absolute_url()),
        "url": absolute(item.get_absolute_url()),
        "headline": item.title.get(language)[:110],
        "description": item.summary.get(language),
        "inLanguage": item.languages(),
        "datePublished": item.publish_at.isoformat() if item.publish_at else None,
        "dateModified": item.updated_at.isoformat(),
        "author": [organization_ld(p, language) for p in parties] or {"@type": "Organization", "name": "Spacebridge"},
        "publisher": {"@type": "Organization", "name": "Spacebridge", "url": absolute("/")},
    }


def _party_choice(request: HttpRequest, item: NewsItem) -> list[Any]:
    """The approvals ``request.user`` may give on ``item`` now."""
    if item.status != NewsItem.Status.AWAITING_APPROVAL:
        return []
    mine = selectors.approvable_party_ids(request.user)
    return [a for a in item.approvals.all() if a.party_id in mine and a.approved_at is None]


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.news_get_for_user(user=request.user, slug=slug)
    language = content_language(get_language())
    context = {
        "item": item,
        "approvals": list(item.approvals.all()),
        "can_edit": can_edit_news(request.user, item),
        "to_approve": _party_choice(request, item),
        "publish_form": PublishForm(),
        "reason_form": ReasonForm(),
        "meta": page_metadata(request, title=item.title.get(language), description=strip_tags(item.summary.get(language) or item.body.get(language)),
                              kind="article", path=item.get_absolute_url()) if item.is_live else None,
        "ld": json_ld(_article_ld(item, language)) if item.is_live else "",
    }
    return render(request, "outreach/news_detail.html", context)


@login_required
def news_manage(request: HttpRequest) -> HttpResponse:
    """News in preparation and the joint announcements waiting for the viewer's approval."""
    context = {
        "items": selectors.news_in_preparation(user=request.user),
        "awaiting": selectors.awaiting_approval(user=request.user),
        "can_write": can_write_news(request.user) or bool(selectors.approvable_party_ids(request.user)),
    }
    return render(request, "outreach/news_manage.html", context)


def _save(request: HttpRequest, form: NewsForm, item: NewsItem | None) -> NewsItem | None:
    data = form.cleaned_data
    fields = {"title": data["title"], "body": data["body"], "summary": data["summary"], "joint": data["joint"],
              "publish_at": data["publish_at"]}
    try:
        if item is None:
            return services.news_create(by=request.user, issuing_party=data["issuing_party"], parties=list(data["parties"]), **fields)
        return services.news_update(item=item, by=request.user, parties=list(data["parties"]), **fields)
    except ValidationError as error:
        apply_validation_error(form, error)
    return None


@login_required
def news_create(request: HttpRequest) -> HttpResponse:
    if not (can_write_news(request.user) or selectors.approvable_party_ids(request.user)):
        raise PermissionDenied(_("Only the secretariat or a party's liaison officers write news."))
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = _save(request, form, None)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            item = None
        if item is not None:
            messages.success(request, _("The news item is saved as a draft."))
            return redirect(item.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/news_form.html", {"form": form, "item": None}, status=status)


@login_required
def news_edit(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.news_get_for_user(user=request.user, slug=slug)
    if not can_edit_news(request.user, item):
        raise PermissionDenied(_("Only the secretariat or the parties' liaison officers change this news item."))
    initial = {"title": item.title, "summary": item.summary, "body": item.body, "joint": item.joint,
               "issuing_party": item.issuing_party, "parties": [a.party for a in item.approvals.all()],
               "publish_at": item.publish_at}
    form = NewsForm(request.POST or None, initial=initial)
    form.fields["issuing_party"].disabled = True
    if request.method == "POST" and form.is_valid() and _save(request, form, item) is not None:
        messages.success(request, _("The news item is saved."))
        return redirect(item.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/news_form.html", {"form": form, "item": item}, status=status)


def _act(request: HttpRequest, slug: str, action: Any, done: str) -> HttpResponse:
    item = selectors.news_get_for_user(user=request.user, slug=slug)
    try:
        action(item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(item.get_absolute_url())
    messages.success(request, done)
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def news_publish(request: HttpRequest, slug: str) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("outreach:detail", slug=slug)
    return _act(request, slug, lambda item: services.news_publish(item=item, by=request.user, publish_at=form.cleaned_data["publish_at"]),
                _("Done: the news item is scheduled, or submitted to the parties for approval."))


@login_required
@require_POST
def news_approve(request: HttpRequest, slug: str) -> HttpResponse:
    party = Party.objects.filter(code=request.POST.get("party", "")[:40]).first()
    if party is None:
        raise Http404
    return _act(request, slug, lambda item: services.announcement_approve(item=item, by=request.user, party=party),
                _("Approved for %(party)s.") % {"party": party.short_name})


def _reasoned(request: HttpRequest, slug: str, action: Any, done: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("outreach:detail", slug=slug)
    return _act(request, slug, lambda item: action(item, form.cleaned_data["reason"]), done)


@login_required
@require_POST
def news_decline(request: HttpRequest, slug: str) -> HttpResponse:
    party = Party.objects.filter(code=request.POST.get("party", "")[:40]).first()
    if party is None:
        raise Http404
    return _reasoned(request, slug, lambda item, reason: services.announcement_decline(item=item, by=request.user, party=party, reason=reason),
                     _("Sent back to draft."))


@login_required
@require_POST
def news_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    return _reasoned(request, slug, lambda item, reason: services.news_withdraw(item=item, by=request.user, reason=reason),
                     _("The news item is withdrawn."))

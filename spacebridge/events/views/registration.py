"""Registering, confirming an address, cancelling, and the organisers' approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from spacebridge.core.forms import apply_validation_error
from spacebridge.core.multilingual import content_language
from spacebridge.events import selectors, services
from spacebridge.events.forms import DecisionForm
from spacebridge.events.models import Registration
from spacebridge.events.views.pages import detail_context, registration_form

Status = Registration.Status

# Registrations one address may send in an hour: each sends an e-mail, so a page must not become a mail cannon.
REGISTRATIONS_PER_HOUR = 30


def rate_limited(request: HttpRequest) -> bool:
    key = f"events-register:{request.META.get('REMOTE_ADDR', '')}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > REGISTRATIONS_PER_HOUR
    except ValueError:
        cache.set(key, 1, timeout=3600)
        return False


STATUS_MESSAGES = {
    Status.UNCONFIRMED: gettext_lazy("Almost done: open the link we sent to your e-mail address to confirm your registration."),
    Status.PENDING: gettext_lazy("Registration received. The organisers approve each registration; we will write to you."),
    Status.CONFIRMED: gettext_lazy("You are registered. The confirmation, with the event's calendar file, is in your e-mail."),
    Status.WAITLISTED: gettext_lazy("The event is full: you are on the waiting list. We will write to you if a place becomes free."),
}


@require_http_methods(["GET", "HEAD", "POST"])
def event_register(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if request.method != "POST":
        return redirect(event.get_absolute_url() + "#registration")
    form = registration_form(request, request.POST)
    if form.is_valid():
        if rate_limited(request):
            form.add_error(None, _("Too many registrations from here; try again in a few minutes."))
        else:
            try:
                registration = services.registration_submit(
                    event=event,
                    by=request.user,
                    name=form.cleaned_data.get("name", ""),
                    email=form.cleaned_data.get("email", ""),
                    party=form.cleaned_data.get("party"),
                    affiliation=form.cleaned_data.get("affiliation", ""),
                    language=translation.get_language() or "en",
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, str(STATUS_MESSAGES[registration.status]))
                if request.user.is_authenticated:
                    return redirect(event.get_absolute_url() + "#registration")
                return redirect("events:registration", event.slug, registration.token)
    return render(request, "events/event_detail.html", detail_context(request, event, form), status=422)


@require_http_methods(["GET", "HEAD", "POST"])
def registration_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The page an e-mail link opens: the registration's state, a button to confirm the address or to cancel.
    Opening the link changes nothing (mail scanners open links too); the buttons do."""
    registration = selectors.registration_by_token(slug=slug, token=token)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                registration = services.registration_confirm_email(registration=registration)
                messages.success(request, str(STATUS_MESSAGES.get(registration.status, _("Saved."))))
            elif action == "cancel":
                services.registration_cancel(registration=registration, by=request.user, token=token)
                messages.success(request, _("Your registration is cancelled."))
            else:
                messages.error(request, _("Choose to confirm or to cancel."))
                return redirect("events:registration", slug, token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("events:registration", slug, token)
    context = {
        "registration": registration,
        "event": registration.event,
        "language": content_language(translation.get_language()),
        "waiting_position": selectors.waiting_position(registration),
    }
    return render(request, "events/registration.html", context)


@require_POST
def registration_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed-in member cancels their own registration from the event page."""
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    registration = selectors.registration_of(event=event, user=request.user)
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(event.get_absolute_url() + "#registration")


@require_POST
def registration_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    registrations = selectors.participants(event=event, user=request.user)
    registration = registrations.filter(pk=pk).first()
    form = DecisionForm(request.POST)
    if registration is None or not form.is_valid():
        raise Http404
    try:
        services.registration_decide(
            registration=registration, by=request.user, approve=form.cleaned_data["decision"] == "approve"
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        registration.refresh_from_db()
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": registration.name, "status": registration.get_status_display()},
        )
    return redirect("events:participants", event.slug)

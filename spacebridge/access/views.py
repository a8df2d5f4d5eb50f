from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spacebridge.access import selectors, services
from spacebridge.access.forms import TokenForm


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = services.token_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    context = {"tokens": selectors.token_list(user=request.user), "form": form, "secret": secret}
    response = render(request, "access/token_list.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the new token is on this page once
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_get_for_user(user=request.user, pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("access:token_list")

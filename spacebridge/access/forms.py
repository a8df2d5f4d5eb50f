from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from spacebridge.core.forms import reject_nul


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, validators=[reject_nul],
                           help_text=_("What the token is for, e.g. “nightly export”."))
    expires_at = forms.DateTimeField(label=_("Expires"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text=_("Leave empty for a token that lasts until you revoke it."))

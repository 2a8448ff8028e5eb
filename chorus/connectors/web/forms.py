"""Forms of the accounts page. They check the shape of the input; the connect services
decide whether the network accepts it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class BlueskyForm(forms.Form):
    identifier = forms.CharField(
        label=_("Handle or DID"),
        max_length=253,
        help_text=_("For example alice.bsky.social, or did:plc:…"),
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        # Never sent back to the browser, even when the form comes back with errors.
        widget=forms.PasswordInput(
            attrs={"autocomplete": "off", "aria-describedby": "id_app_password_helptext"}
        ),
        strip=True,
    )
    service_url = forms.CharField(
        label=_("PDS or service URL"),
        max_length=2000,
        required=False,
        help_text=_(
            "Only for accounts hosted outside bsky.social, on your own or another "
            "provider's server. Leave empty otherwise."
        ),
    )


class MastodonForm(forms.Form):
    instance_url = forms.CharField(
        label=_("Server address"),
        max_length=2000,
        help_text=_("The address of the Mastodon server the account is on, e.g. mastodon.social."),
    )

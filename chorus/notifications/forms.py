"""The form for a notification target. It checks the shape; the service checks the URL
with Apprise and the rest, and its errors land on the matching fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chorus.notifications.models import Event
from chorus.notifications.validation import MAX_NAME_LENGTH, MAX_URL_LENGTH


class TargetForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("So your team knows where it goes, e.g. “Team Slack #social”."),
    )
    url = forms.CharField(
        label=_("Apprise URL"),
        max_length=MAX_URL_LENGTH,
        help_text=_(
            "For example mailtos://user:password@example.com, slack://TokenA/TokenB/TokenC, "
            "tgram://bottoken/ChatID or a Teams workflow URL. It is stored encrypted and "
            "never shown again."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Notify about"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Event.POST_FAILED, Event.ACCOUNT_RECONNECT],
    )
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)
    enabled = forms.BooleanField(label=_("Send notifications"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The saved URL is never shown; an empty field keeps it.
            url = self.fields["url"]
            url.required = False
            url.help_text = _("Leave empty to keep the current URL. Enter a new one to replace it.")

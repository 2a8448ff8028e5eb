"""The UTM preset form. It checks the shape of the input; chorus.links.presets decides
what is valid (known placeholders, one default, one preset per campaign)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.links.utm import MAX_TEMPLATE_LENGTH
from chorus.orgs.models import Workspace
from chorus.publishing.models import Campaign

_TEMPLATE_HELP = _("Plain text and placeholders such as {network}.")


def _template(label: Any, *, required: bool = False, help_text: Any = _TEMPLATE_HELP) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEMPLATE_LENGTH,
        help_text=help_text,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


class UtmPresetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("None: a preset for the whole workspace"),
        help_text=_("A campaign's preset is used for its posts instead of the default."),
    )
    utm_source = _template(
        _("Source (utm_source)"),
        required=True,
        help_text=_("Where the visit comes from, for example {network}."),
    )
    utm_medium = _template(_("Medium (utm_medium)"), help_text=_("For example: social."))
    utm_campaign = _template(
        _("Campaign (utm_campaign)"), help_text=_("For example {campaign}: the post's campaign.")
    )
    utm_term = _template(_("Term (utm_term)"))
    utm_content = _template(
        _("Content (utm_content)"), help_text=_("For example {post_id}, to tell posts apart.")
    )
    is_default = forms.BooleanField(
        label=_("Use for every post that has no campaign preset"),
        required=False,
        help_text=_("Only one preset is the default; choosing this one replaces the current."),
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Campaign.objects.filter(workspace=workspace).order_by("name")

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        campaign = data.pop("campaign")
        data["campaign_id"] = campaign.pk if campaign else None
        return data

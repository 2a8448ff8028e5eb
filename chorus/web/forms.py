"""Forms for organisation and workspace pages. They check the shape of the input; the
services in chorus.orgs.services decide what is allowed and valid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import Workspace
from chorus.orgs.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=120)


class ConfirmNameForm(forms.Form):
    """Deleting something big asks for its name, so a slip of the mouse cannot do it."""

    confirm = forms.CharField(label=_("Type the name to confirm"), max_length=120)

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.expected:
            raise forms.ValidationError(
                _("That is not the name. Type “%(name)s” exactly to confirm."),
                params={"name": self.expected},
            )
        return value


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Workspace.Kind.choices,
        help_text=_("A brand of your own, or a client you work for."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="UTC",
        help_text=_(
            "Posts for this workspace are scheduled in this time zone, for example Asia/Vientiane."
        ),
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


def role_choices(*, include_owner: bool) -> list[tuple[str, StrOrPromise]]:
    return [(value, label) for value, label in Role.choices if include_owner or value != Role.OWNER]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args: Any, include_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(include_owner=include_owner)  # type: ignore[attr-defined]


class WorkspaceRoleForm(forms.Form):
    INHERIT = ""

    workspace = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label=_("Role in this workspace"),
        required=False,
        choices=[(INHERIT, _("Same as in the organisation")), *role_choices(include_owner=False)],
    )

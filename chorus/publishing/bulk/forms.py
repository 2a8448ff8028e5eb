"""The import and export forms of the web pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.orgs.models import SocialAccount, Workspace
from chorus.orgs.timezones import validate_time_zone
from chorus.publishing.bulk.decoding import MAX_FILE_BYTES
from chorus.publishing.bulk.rows import DateOrder, Encoding, Format

FORMATS = [
    (Format.AUTO.value, _("Recognise it")),
    (Format.HOOTSUITE.value, _("Hootsuite bulk CSV (date, message, link)")),
    (Format.CSV.value, _("Chorus CSV (with a header row)")),
    (Format.JSON.value, _("Chorus JSON")),
]
DATE_ORDERS = [
    (DateOrder.MDY.value, "MM/DD/YYYY HH:MM"),
    (DateOrder.DMY.value, "DD/MM/YYYY HH:MM"),
    (DateOrder.YMD.value, "YYYY-MM-DD HH:MM"),
]
ENCODINGS = [
    (Encoding.UTF8.value, _("UTF-8 (“CSV UTF-8” in Excel)")),
    (Encoding.WINDOWS_1252.value, _("Windows-1252 (older Excel “CSV” in western Europe)")),
]
ZONE_WIDGET = forms.TextInput(
    attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
)


class AccountChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.handle} ({obj.network})"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV or JSON, up to 20 MB."))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial=Format.AUTO.value)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=ZONE_WIDGET,
        help_text=_("The times in the file are read in this zone, unless a row names another."),
    )
    accounts = AccountChoices(
        label=_("Accounts"),
        queryset=SocialAccount.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Hootsuite files post to the accounts chosen here; Chorus files use them for "
            "rows that name none."
        ),
    )
    date_format = forms.ChoiceField(
        label=_("Date format of a Hootsuite file"),
        choices=DATE_ORDERS,
        initial=DateOrder.MDY.value,
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"), choices=ENCODINGS, initial=Encoding.UTF8.value
    )
    drafts = forms.BooleanField(label=_("Import as drafts, without scheduling"), required=False)

    def __init__(self, workspace: Workspace, *args: Any, may_schedule: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, AccountChoices)
        field.queryset = SocialAccount.objects.filter(workspace=workspace)
        self.fields["time_zone"].initial = workspace.time_zone
        if not may_schedule:
            del self.fields["drafts"]

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it.")
                % {"limit": MAX_FILE_BYTES // 1024**2}
            )
        return file

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        try:
            return validate_time_zone(zone)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["time_zone"]) from None


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[c for c in FORMATS if c[0] != Format.AUTO.value],
        initial=Format.CSV.value,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=SocialAccount.objects.none(),
        required=False,
        empty_label=_("All accounts"),
        help_text=_("A Hootsuite file is for one profile: choose its account."),
    )
    date_format = forms.ChoiceField(
        label=_("Date format of a Hootsuite file"),
        choices=DATE_ORDERS,
        initial=DateOrder.MDY.value,
    )

    def __init__(self, workspace: Workspace, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = SocialAccount.objects.filter(workspace=workspace)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        return data

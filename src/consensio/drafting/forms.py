"""Input forms of the drafting pages: they check the shape of the input; the rules are the
engine's, applied by the do_* actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consensio.drafting.models import ProposalKind, ProvisionKind
from consensio.engine.text.status import Trigger


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of proposal"), choices=ProposalKind.choices)
    # Spaces count in the notation: " promptly" inserted after a word; so nothing is stripped.
    span = forms.CharField(
        label=_("Words of the current text"),
        required=False,
        max_length=5000,
        strip=False,
        help_text=_("Quote the words to delete or replace, or to insert after."),
    )
    occurrence = forms.IntegerField(
        label=_("Occurrence"),
        required=False,
        min_value=1,
        help_text=_("When the quoted words occur more than once: which one (1, 2, …)."),
    )
    text = forms.CharField(
        label=_("Proposed words"),
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_kind = forms.ChoiceField(
        label=_("New provision is a"), required=False, choices=[("", "—"), *ProvisionKind.choices]
    )
    heading = forms.CharField(label=_("Heading of the new provision"), required=False, max_length=500)
    first_in = forms.BooleanField(label=_("Place it first inside this provision"), required=False)
    justification = forms.CharField(
        label=_("Justification"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sponsor = forms.CharField(label=_("On behalf of (key, e.g. JPN)"), required=False, max_length=16)


class EditProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Proposed words"),
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    justification = forms.CharField(
        label=_("Justification"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusForm(forms.Form):
    trigger = forms.ChoiceField(choices=[(t.value, t.value) for t in Trigger])
    decision_ref = forms.CharField(label=_("Decision"), required=False, max_length=200)


class VersionForm(forms.Form):
    name = forms.CharField(label=_("Version name"), max_length=80)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (bracket notation, Akoma Ntoso XML or DOCX)"))
    title = forms.CharField(label=_("Title (when the file has none)"), required=False, max_length=500)
    instrument = forms.IntegerField(
        label=_("Replace the text of instrument no."), required=False, min_value=1
    )

"""Input checks for the forum's pages. Deeper checks (symbol grammar, file kind) live in
the actions, whose errors the views show beside the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consensio.forum.costs import MAX_DAYS, MAX_DELEGATIONS, MAX_PAGES
from consensio.forum.files import MAX_DOCUMENT_BYTES
from consensio.forum.models import LANGUAGES, DelegateFunction, Distribution, DocumentType, FigureKind


class UploadField(forms.FileField):
    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; a document file may be at most %(max)d MB.")
                % {"size": upload.size / 1024 / 1024, "max": MAX_DOCUMENT_BYTES // 1024 // 1024}
            )
        return upload


class LanguageVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")
    file = UploadField(label=_("File (PDF or Word .docx, at most 20 MB)"))


class DocumentForm(LanguageVersionForm):
    symbol = forms.CharField(label=_("Symbol"), max_length=80, help_text=_("For example A/AC.291/22/Rev.1"))
    title = forms.CharField(label=_("Title"), max_length=400)
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    distribution = forms.ChoiceField(label=_("Distribution"), choices=Distribution.choices)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agenda_items = forms.MultipleChoiceField(label=_("Agenda items"), required=False, choices=())

    field_order = ["symbol", "title", "doc_type", "distribution", "issued_on", "agenda_items", "language", "file"]

    def __init__(self, *args, agenda_choices=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agenda_items"].choices = list(agenda_choices)


class DelegateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    function = forms.ChoiceField(label=_("Function"), choices=DelegateFunction.choices)


class PlannerForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=MAX_DAYS, initial=10)
    delegations = forms.IntegerField(label=_("Funded delegations"), min_value=0, max_value=MAX_DELEGATIONS,
                                     initial=50)
    pages = forms.IntegerField(label=_("Pages of documentation"), min_value=0, max_value=MAX_PAGES, initial=500)


class FigureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Figure"), choices=FigureKind.choices)
    amount = forms.DecimalField(label=_("Amount (USD)"), min_value=0, max_digits=12, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=400)
    as_of = forms.DateField(label=_("Date of the figure"), widget=forms.DateInput(attrs={"type": "date"}))
    illustrative = forms.BooleanField(label=_("Illustrative value (no public source)"), required=False)

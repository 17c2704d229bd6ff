"""Input checks for the statement page: paste or upload, one statement at a time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consensio.engine.statements import MAX_STATEMENT_BYTES, StatementError, decode_statement_bytes


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text of the statement"), required=False,
                           widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}), strip=False)
    upload = forms.FileField(label=_("…or upload a text file"), required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("Where the statement comes from: a meeting, a URL."))
    delivered_on = forms.DateField(label=_("Delivered on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def clean_upload(self) -> str | None:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; a statement may be at most %(max)s bytes.")
                % {"size": f"{upload.size:,}", "max": f"{MAX_STATEMENT_BYTES:,}"}
            )
        data = upload.read(MAX_STATEMENT_BYTES + 1)
        try:
            return decode_statement_bytes(data)
        except StatementError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        uploaded = cleaned.get("upload")
        text = cleaned.get("text") or ""
        if uploaded:
            if text.strip():
                raise forms.ValidationError(_("Paste the text or upload a file, not both."))
            cleaned["text"] = uploaded
        elif not text.strip() and "upload" not in self.errors:
            self.add_error("text", _("Paste the statement's text or upload it as a file."))
        elif len(text.encode("utf-8")) > MAX_STATEMENT_BYTES:
            self.add_error("text", _("The text is longer than %(max)s bytes.") % {"max": f"{MAX_STATEMENT_BYTES:,}"})
        elif "\x00" in text:
            self.add_error("text", _("The text contains binary data (NUL characters)."))
        return cleaned

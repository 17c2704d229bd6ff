"""Pages of negotiating texts: the list of texts, the rolling text (filters by chapter, sponsor,
status and "my delegation"), a provision with its proposals, co-sponsors and history, the
proposal, co-sponsorship and status controls, versions, the redline between two versions,
downloads in every export format, and the secretariat's import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consensio.actors.models import Actor
from consensio.core.access import DELEGATE, SECRETARIAT, public, role_of, roles_required, secretariat_required
from consensio.core.pagecache import cached_page
from consensio.drafting import access
from consensio.drafting.actions import (
    MAX_IMPORT_BYTES,
    do_cosponsor,
    do_edit_proposal,
    do_import_text,
    do_set_provision_status,
    do_table_proposal,
    do_take_version,
    do_withdraw_cosponsorship,
    do_withdraw_proposal,
    explain,
)
from consensio.drafting.forms import EditProposalForm, ImportForm, ProposalForm, StatusForm, VersionForm
from consensio.drafting.models import Instrument, Proposal, ProposalStatus, Version
from consensio.drafting.text import engine_proposal, filtered, find_block, load_text, rolling_text
from consensio.engine.text.compare import compare
from consensio.engine.text.compile import compile_text
from consensio.engine.text.errors import TextError
from consensio.engine.text.notation import parse
from consensio.engine.text.rolling import Block, RollingText
from consensio.engine.text.status import ProvisionState, Status, StatusRecord, Trigger, may

EXPORTS = {
    "akn": ("application/akn+xml", "xml"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
}
REFUSALS = (TextError, PermissionError, ValueError)


def _own_delegation(request: HttpRequest) -> str | None:
    if role_of(request.user) != DELEGATE:
        return None
    actor = getattr(getattr(request.user, "profile", None), "actor", None)
    return actor.key if actor is not None else None


def rolling_context(instrument: Instrument, text: RollingText) -> dict[str, Any]:
    """What `_rolling.html` needs; the live updates render it with the same context."""
    return {"instrument": instrument, "text": text, "prov_url": _prov_url(instrument)}


def unit_context(instrument: Instrument, block: Block) -> dict[str, Any]:
    return {"instrument": instrument, "node": block, "prov_url": _prov_url(instrument)}


def _prov_url(instrument: Instrument) -> str:
    return reverse("drafting-text", args=[instrument.pk]) + "provisions/"


@public
@cached_page
def text_list(request: HttpRequest) -> HttpResponse:
    instruments = Instrument.objects.select_related("body").order_by("-created_at", "-id")
    return render(request, "drafting/texts.html", {"instruments": instruments})


@public
@cached_page
def text_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = access.get_instrument(pk)
    full = rolling_text(instrument)
    mine = _own_delegation(request)
    chapter = request.GET.get("chapter", "")
    status = request.GET.get("status", "")
    sponsor = request.GET.get("sponsor", "").upper()
    if request.GET.get("mine") and mine:
        sponsor = mine
    if status not in {s.value for s in Status}:
        status = ""
    shown = filtered(full, chapter=chapter, sponsor=sponsor, status=status)
    sponsors = sorted({code for b in full.blocks() for code in _codes(b)})
    names = dict(Actor.objects.filter(key__in=sponsors).values_list("key", "name"))
    versions = list(
        Version.objects.filter(instrument=instrument)
        .only("id", "name", "taken_at")
        .order_by("taken_at", "id")
    )
    return render(
        request,
        "drafting/text.html",
        {
            **rolling_context(instrument, shown),
            "chapters": [b for b in full.body],
            "chapter": chapter,
            "status": status,
            "sponsor": sponsor,
            "mine": mine,
            "sponsors": [(code, names.get(code, code)) for code in sponsors],
            "statuses": [(s.value, s.label) for s in _status_choices()],
            "versions": versions,
            "version_form": VersionForm(),
            "is_secretariat": role_of(request.user) == SECRETARIAT,
            "filtered": bool(chapter or status or sponsor),
            "exports": list(EXPORTS),
        },
    )


def _status_choices() -> list[Any]:
    from consensio.drafting.models import Status as StatusChoice

    return list(StatusChoice)


def _codes(block: Block) -> set[str]:
    from consensio.drafting.text import block_sponsors

    return block_sponsors(block)


def _provision_page(
    request: HttpRequest,
    instrument: Instrument,
    eid: str,
    *,
    status: int = 200,
    error: str = "",
    proposal_form: ProposalForm | None = None,
    edit_errors: dict[int, str] | None = None,
) -> HttpResponse:
    provision = access.get_provision(instrument, eid)
    loaded = load_text(instrument)
    rows = list(
        Proposal.objects.filter(instrument=instrument, eid=eid)
        .select_related("sponsor", "tabled_by")
        .prefetch_related("cosponsorships__delegation")
        .order_by("tabled_at", "id")
    )
    tabled = [engine_proposal(r, r.cosponsorships.all()) for r in rows if r.status == ProposalStatus.TABLED]
    compiled = compile_text(loaded.tree, tabled, loaded.statuses)
    block = find_block(compiled, eid)
    history = list(provision.history.select_related("set_by").order_by("set_at", "id"))
    mine = _own_delegation(request)
    role = role_of(request.user)
    state = ProvisionState(eid, (StatusRecord(Status(provision.status), "", dt.datetime.now(dt.UTC)),))
    triggers = [t.value for t in Trigger if may(state, t)] if role == SECRETARIAT else []
    for r in rows:
        active = [c for c in r.cosponsorships.all() if c.withdrawn_at is None]
        r.active_cosponsors = active  # type: ignore[attr-defined]
        r.mine_cosponsors = bool(mine) and any(c.delegation_id == mine for c in active)  # type: ignore[attr-defined]
        r.edit_error = (edit_errors or {}).get(r.pk, "")  # type: ignore[attr-defined]
    may_propose = role in (DELEGATE, SECRETARIAT) and provision.status in (
        Status.OPEN,
        Status.INFORMALLY_AGREED,
    )
    return render(
        request,
        "drafting/provision.html",
        {
            "instrument": instrument,
            "provision": provision,
            "node": block,
            "proposals": rows,
            "history": history,
            "label": loaded.tree.label(eid),
            "mine": mine,
            "role": role,
            "triggers": triggers,
            "may_propose": may_propose,
            "error": error,
            "proposal_form": proposal_form or ProposalForm(),
            "status_form": StatusForm(),
            "prov_url": _prov_url(instrument),
        },
        status=status,
    )


@public
@cached_page
def provision_detail(request: HttpRequest, pk: int, eid: str) -> HttpResponse:
    return _provision_page(request, access.get_instrument(pk), eid)


def _back(instrument: Instrument, eid: str) -> HttpResponse:
    return redirect(_prov_url(instrument) + f"{eid}/")


@require_POST
@roles_required(DELEGATE, SECRETARIAT)
def proposal_new(request: HttpRequest, pk: int, eid: str) -> HttpResponse:
    instrument = access.get_instrument(pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _provision_page(
            request, instrument, eid, status=400, proposal_form=form, error=_("Check the proposal form.")
        )
    data = form.cleaned_data
    try:
        row = do_table_proposal(
            request.user,
            instrument,
            kind=data["kind"],
            eid=eid,
            sponsor=data["sponsor"] or None,
            span=data["span"],
            occurrence=data["occurrence"],
            text=data["text"],
            heading=data["heading"],
            new_kind=data["new_kind"],
            first_in=data["first_in"],
            justification=data["justification"],
        )
    except REFUSALS as exc:
        code, _c, message, _d = explain(exc)
        return _provision_page(request, instrument, eid, status=code, proposal_form=form, error=message)
    messages.success(request, _("Proposal P%(n)s tabled.") % {"n": row.pk})
    return _back(instrument, eid)


def _proposal_post(request: HttpRequest, proposal_id: int, act: Any) -> HttpResponse:
    proposal = access.get_proposal(proposal_id)
    try:
        message = act(proposal)
    except REFUSALS as exc:
        code, _c, text, _d = explain(exc)
        return _provision_page(
            request,
            proposal.instrument,
            proposal.eid,
            status=code,
            error=text,
            edit_errors={proposal.pk: text},
        )
    messages.success(request, message)
    return _back(proposal.instrument, proposal.eid)


@require_POST
@roles_required(DELEGATE, SECRETARIAT)
def proposal_cosponsor(request: HttpRequest, proposal_id: int) -> HttpResponse:
    def act(p: Proposal) -> str:
        record = do_cosponsor(request.user, p, delegation=request.POST.get("delegation") or None)
        return _("%(key)s co-sponsors P%(n)s.") % {"key": record.delegation_id, "n": p.pk}

    return _proposal_post(request, proposal_id, act)


@require_POST
@roles_required(DELEGATE, SECRETARIAT)
def proposal_uncosponsor(request: HttpRequest, proposal_id: int) -> HttpResponse:
    def act(p: Proposal) -> str:
        record = do_withdraw_cosponsorship(request.user, p, delegation=request.POST.get("delegation") or None)
        return _("%(key)s no longer co-sponsors P%(n)s.") % {"key": record.delegation_id, "n": p.pk}

    return _proposal_post(request, proposal_id, act)


@require_POST
@roles_required(DELEGATE)
def proposal_withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    def act(p: Proposal) -> str:
        version = request.POST.get("version")
        do_withdraw_proposal(
            request.user, p, expected_version=int(version) if version and version.isdigit() else None
        )
        return _("Proposal P%(n)s withdrawn.") % {"n": p.pk}

    return _proposal_post(request, proposal_id, act)


@require_POST
@roles_required(DELEGATE)
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    form = EditProposalForm(request.POST)

    def act(p: Proposal) -> str:
        if not form.is_valid():
            raise ValueError(_("Check the edited proposal: %(errors)s") % {"errors": form.errors.as_text()})
        data = form.cleaned_data
        do_edit_proposal(
            request.user,
            p,
            expected_version=data["version"],
            text=data["text"],
            justification=data["justification"],
        )
        return _("Proposal P%(n)s changed.") % {"n": p.pk}

    return _proposal_post(request, proposal_id, act)


@require_POST
@secretariat_required
def provision_status(request: HttpRequest, pk: int, eid: str) -> HttpResponse:
    instrument = access.get_instrument(pk)
    provision = access.get_provision(instrument, eid)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _provision_page(request, instrument, eid, status=400, error=_("Choose a status change."))
    try:
        record = do_set_provision_status(
            request.user,
            provision,
            trigger=form.cleaned_data["trigger"],
            decision_ref=form.cleaned_data["decision_ref"],
        )
    except REFUSALS as exc:
        code, _c, message, _d = explain(exc)
        return _provision_page(request, instrument, eid, status=code, error=message)
    messages.success(
        request, _("%(eid)s is now %(status)s.") % {"eid": eid, "status": record.get_status_display()}
    )
    return _back(instrument, eid)


@require_POST
@secretariat_required
def version_take(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = access.get_instrument(pk)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError(_("Name: give the version a name, such as Rev.1."))
        version = do_take_version(request.user, instrument, name=form.cleaned_data["name"])
    except REFUSALS as exc:
        messages.error(request, explain(exc)[2])
        return redirect("drafting-text", pk=instrument.pk)
    messages.success(request, _("Version %(name)s taken.") % {"name": version.name})
    return redirect("drafting-text", pk=instrument.pk)


def _version_text(instrument: Instrument, ref: str) -> tuple[str, RollingText]:
    """A stored version by id, or "current" for the live rolling text."""
    if ref in ("", "current"):
        return _("Current text"), rolling_text(instrument)
    if not ref.isdigit():
        from django.http import Http404

        raise Http404("No such version of this text.")
    version = access.get_version(instrument, int(ref))
    return version.name, parse(version.notation)


@public
@cached_page
def compare_versions(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = access.get_instrument(pk)
    versions = list(
        Version.objects.filter(instrument=instrument)
        .only("id", "name", "taken_at")
        .order_by("taken_at", "id")
    )
    old_ref = request.GET.get("old") or (str(versions[0].pk) if versions else "current")
    new_ref = request.GET.get("new") or (str(versions[-1].pk) if len(versions) > 1 else "current")
    old_name, old_text = _version_text(instrument, old_ref)
    new_name, new_text = _version_text(instrument, new_ref)
    redline = compare(old_text, new_text)
    return render(
        request,
        "drafting/compare.html",
        {
            "instrument": instrument,
            "versions": versions,
            "old_ref": old_ref,
            "new_ref": new_ref,
            "old_name": old_name,
            "new_name": new_name,
            "changes": [(c, {x.value for x in c.changes}) for c in redline.changed],
        },
    )


@public
def export_text(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from django.http import Http404

    if fmt not in EXPORTS:
        raise Http404("Unknown export format.")
    instrument = access.get_instrument(pk)
    name, text = _version_text(instrument, request.GET.get("version", ""))
    content_type, ext = EXPORTS[fmt]
    if fmt == "akn":
        from consensio.engine.text.export_akn import export_akn

        data: bytes = export_akn(text, work=f"/akn/un/bill/consensio-{instrument.pk}", date=dt.date.today())
    elif fmt == "docx":
        from consensio.engine.text.export_docx import export_docx

        data = export_docx(text)
    elif fmt == "html":
        from consensio.engine.text.export_html import render_html

        data = render_html(text, standalone=True).encode()
    else:
        from consensio.engine.text.export_md import export_md

        data = export_md(text).encode()
    response = HttpResponse(data, content_type=content_type)
    suffix = "" if request.GET.get("version", "current") in ("", "current") else "-" + name.replace(" ", "_")
    response["Content-Disposition"] = f'attachment; filename="text-{instrument.pk}{suffix}.{ext}"'
    return response


@secretariat_required
def text_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        target = form.cleaned_data["instrument"]
        try:
            instrument = access.get_instrument(target) if target else None
            # Read one byte past the limit, so that a huge upload is refused without being held whole.
            data = upload.read(MAX_IMPORT_BYTES + 1)
            instrument = do_import_text(
                request.user,
                data=data,
                filename=upload.name,
                instrument=instrument,
                title=form.cleaned_data["title"],
            )
        except REFUSALS as exc:
            code, _c, message, details = explain(exc)
            problems = [
                f"{upload.name}:{d['line']}:{d['column']}: {d['message']}" for d in details if "line" in d
            ]
            return render(
                request,
                "drafting/import.html",
                {"form": form, "error": message, "problems": problems},
                status=code,
            )
        messages.success(request, _("Text imported."))
        return redirect("drafting-text", pk=instrument.pk)
    return render(
        request, "drafting/import.html", {"form": form}, status=400 if request.method == "POST" else 200
    )

"""Writes for negotiating texts. Every change goes through a do_* function here: one
transaction, every rule checked (through the text engine) before the first write, one journal
entry, and the changed part of the rolling text sent to the "drafting" live stream on commit.

`user` is the person acting; None stands for the system itself (the demo loader, the command
line), which is never reachable from a view or the API. A delegate acts only for their own
delegation; the secretariat may record a proposal or a co-sponsorship on a delegation's behalf
(one received in writing); observers never table or co-sponsor, since they do not negotiate.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from consensio.actors.models import Actor
from consensio.core.access import DELEGATE, SECRETARIAT, role_of
from consensio.core.live import send_on_commit
from consensio.drafting.models import (
    CoSponsorship,
    Instrument,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Provision,
    ProvisionStatus,
    Version,
)
from consensio.drafting.text import engine_proposal, find_block, load_text, rolling_text, unit_of
from consensio.engine.text import proposals as P
from consensio.engine.text.errors import ConflictError, ProposalStateError, SpanError, SponsorshipError
from consensio.engine.text.files import import_file
from consensio.engine.text.notation import serialize
from consensio.engine.text.status import ProvisionState, Status, StatusRecord, Trigger, apply
from consensio.engine.text.tree import Kind
from consensio.records.journal import append_journal

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""The largest file `do_import_text` reads (the whole convention in DOCX is well under 1 MB)."""

STREAM = "drafting"


class DraftingRefused(ValueError):
    """The change was not made; the message names the input and what would be right."""


class FileTooLarge(DraftingRefused):
    """The uploaded file is over MAX_IMPORT_BYTES."""


class NotAllowed(PermissionError):
    """The user's role or delegation does not allow this change."""


def _who(user: Any) -> str | None:
    return user.get_username() if getattr(user, "is_authenticated", False) else None


def _real(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _require_secretariat(user: Any, what: str) -> None:
    if user is not None and role_of(user) != SECRETARIAT:
        raise NotAllowed(_("Only the secretariat may %(what)s.") % {"what": what})


def _acting_for(user: Any, key: str | None, what: str) -> str:
    """The delegation on whose behalf `user` acts: a delegate's own; the one the secretariat
    (or the system) names. Anyone else is refused."""
    key = (key or "").strip().upper() or None
    role = role_of(user) if user is not None else SECRETARIAT
    if role == DELEGATE:
        own = getattr(getattr(user, "profile", None), "actor", None)
        if own is None:
            raise NotAllowed(_("Your account is not attached to a delegation."))
        if key is not None and key != own.key:
            raise NotAllowed(
                _("A delegate acts only for their own delegation (%(own)s), not for %(key)s.")
                % {"own": own.key, "key": key}
            )
        return str(own.key)
    if role == SECRETARIAT:
        if key is None:
            raise DraftingRefused(
                _("Sponsor: name the delegation on whose behalf the secretariat records this.")
            )
        if not Actor.objects.filter(key=key).exists():
            raise DraftingRefused(_("Sponsor: %(key)s is not a known State or organization.") % {"key": key})
        return key
    if role == "observer":
        raise NotAllowed(
            _("Observers do not %(what)s: they take part in the debate but do not negotiate the text.")
            % {"what": what}
        )
    raise NotAllowed(_("Only a delegate, for their own delegation, may %(what)s.") % {"what": what})


def _lock_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("instrument").get(pk=proposal.pk)


def _engine(row: Proposal) -> P.Proposal:
    return engine_proposal(row, row.cosponsorships.order_by("joined_at", "id"))


def _provision_status(row: Proposal) -> Status:
    eid = row.new_parent if row.kind == ProposalKind.ADD_PROVISION else row.eid
    value = (
        Provision.objects.filter(instrument_id=row.instrument_id, eid=eid)
        .values_list("status", flat=True)
        .first()
    )
    return Status(value or Status.OPEN)


def _proposal_payload(row: Proposal, user: Any) -> dict[str, Any]:
    return {
        "instrument": row.instrument_id,
        "proposal": row.pk,
        "eid": row.eid,
        "kind": row.kind,
        "sponsor": row.sponsor_id,
        "version": row.version,
        "by": _who(user),
    }


# -- live updates -------------------------------------------------------------------------------


def send_text_update(instrument: Instrument, eids: list[str] | None = None) -> None:
    """Queue, for after commit, the re-rendered parts of the rolling text that `eids` touch (their
    articles), or the whole text when the structure changed or `eids` is None."""
    from consensio.drafting.views import rolling_context, unit_context

    loaded = load_text(instrument)
    text = rolling_text(instrument, loaded)
    units: list[str] = []
    for eid in eids or ():
        unit = unit_of(loaded, eid)
        if not unit or find_block(text, unit) is None:
            units = []
            break
        if unit not in units:
            units.append(unit)
    if not units:
        html = render_to_string("drafting/_rolling.html", rolling_context(instrument, text))
        send_on_commit(STREAM, f"rolling-text-{instrument.pk}", html, "replace")
        return
    for unit in units:
        block = find_block(text, unit)
        assert block is not None
        html = render_to_string("drafting/_block.html", unit_context(instrument, block))
        send_on_commit(STREAM, f"prov-{instrument.pk}-{unit}", html, "replace")


def _structure_changes(row: Proposal) -> bool:
    return row.kind == ProposalKind.ADD_PROVISION and row.new_kind in (Kind.CHAPTER, Kind.ARTICLE)


# -- proposals ----------------------------------------------------------------------------------


@transaction.atomic
def do_table_proposal(
    user: Any,
    instrument: Instrument,
    *,
    kind: str,
    eid: str,
    sponsor: str | None = None,
    span: str = "",
    occurrence: int | None = None,
    offset: int | None = None,
    text: str = "",
    heading: str = "",
    new_kind: str = "",
    first_in: bool = False,
    justification: str = "",
) -> Proposal:
    """Table a proposal of `kind` on provision `eid`. Words are quoted (`span`, and `occurrence`
    when they occur more than once); an insertion goes after the quoted words or at `offset`; a new
    provision of `new_kind` goes after `eid` (or first inside it, with `first_in`)."""
    code = _acting_for(user, sponsor, _("table proposals"))
    try:
        proposal_kind = P.ProposalKind(kind)
    except ValueError:
        raise DraftingRefused(
            _("Kind: %(kind)r is not a kind of proposal (known: %(known)s).")
            % {"kind": kind, "known": ", ".join(k.value for k in P.ProposalKind)}
        ) from None
    # Proposals on one instrument are tabled one at a time: each is checked against the text as it is.
    Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
    loaded = load_text(instrument)
    tree, statuses = loaded.tree, loaded.statuses
    at = timezone.now()
    common: dict[str, Any] = {"id": "new", "sponsor": code, "at": at, "justification": justification.strip()}
    span = span or ""
    if proposal_kind is P.ProposalKind.INSERT:
        p = P.table_insert(
            tree,
            statuses,
            provision=eid,
            text=text,
            after=span or None,
            offset=None if span else (offset if offset is not None else len(tree.get(eid).text)),
            occurrence=occurrence,
            **common,
        )
    elif proposal_kind is P.ProposalKind.DELETE:
        p = P.table_delete(tree, statuses, provision=eid, span=span, occurrence=occurrence, **common)
    elif proposal_kind is P.ProposalKind.REPLACE:
        p = P.table_replace(
            tree, statuses, provision=eid, span=span, text=text, occurrence=occurrence, **common
        )
    elif proposal_kind is P.ProposalKind.ALTERNATIVE:
        p = P.table_alternative(tree, statuses, provision=eid, text=text, **common)
    elif proposal_kind is P.ProposalKind.ADD_PROVISION:
        try:
            kind_of_new = Kind(new_kind or tree.get(eid).kind)
        except ValueError:
            raise DraftingRefused(
                _("New provision: %(kind)r is not a kind of provision.") % {"kind": new_kind}
            ) from None
        reserved = set(
            Proposal.objects.filter(
                instrument=instrument, status=ProposalStatus.TABLED, kind=ProposalKind.ADD_PROVISION
            ).values_list("new_eid", flat=True)
        )
        if not text.strip() and kind_of_new not in (Kind.CHAPTER, Kind.ARTICLE):
            raise SpanError(eid, text, "a new provision needs text")
        p = P.table_new_provision(
            tree,
            statuses,
            after=eid,
            kind=kind_of_new,
            text=text,
            heading=heading,
            first_in=first_in,
            reserved=reserved,
            **common,
        )
    else:
        p = P.table_provision_deletion(tree, statuses, provision=eid, **common)

    row = Proposal.objects.create(
        instrument=instrument,
        eid=p.provision,
        kind=p.kind.value,
        sponsor_id=code,
        tabled_by=_real(user),
        tabled_at=at,
        start=p.start,
        end=p.end,
        text=p.text,
        quoted=p.quoted,
        heading=p.heading,
        new_eid=p.new_eid,
        new_kind=p.new_kind,
        new_parent=p.new_parent,
        justification=p.justification,
        status=ProposalStatus.TABLED,
        version=1,
        updated_at=at,
    )
    append_journal(
        "drafting.proposal.tabled",
        {
            **_proposal_payload(row, user),
            "start": row.start,
            "end": row.end,
            "text": row.text,
            "quoted": row.quoted,
            "new_eid": row.new_eid,
        },
    )
    _send_for(row)
    return row


@transaction.atomic
def do_edit_proposal(
    user: Any,
    proposal: Proposal,
    *,
    expected_version: int,
    text: str | None = None,
    justification: str | None = None,
    heading: str | None = None,
) -> Proposal:
    """The sponsor changes the proposed words, heading or justification. `expected_version` is the
    version the sponsor read: if anyone changed the proposal since, ConflictError, nothing saved."""
    row = _lock_proposal(proposal)
    _require_sponsor(user, row, _("change this proposal"))
    if expected_version != row.version:
        raise ConflictError(f"proposal {row.pk}", expected_version, row.version)
    current = _engine(row)
    if current.status is not P.ProposalStatus.TABLED:
        raise ProposalStateError(f"proposal {row.pk} is {current.status.value}; it can no longer be changed")
    changed = replace(
        current,
        text=current.text if text is None else text,
        heading=current.heading if heading is None else heading,
    )
    wording = {P.ProposalKind.INSERT, P.ProposalKind.REPLACE, P.ProposalKind.ALTERNATIVE}
    if changed.kind in wording and not changed.text:
        raise SpanError(row.eid, row.quoted, "the proposal needs words (withdraw it, or propose a deletion)")
    if changed.kind in (P.ProposalKind.DELETE, P.ProposalKind.DELETE_PROVISION) and changed.text:
        raise SpanError(row.eid, row.quoted, "a deletion proposes no words")
    loaded = load_text(row.instrument)
    P.validate(changed, loaded.tree, loaded.statuses)
    at = timezone.now()
    before = row.text
    row.text = changed.text
    row.heading = changed.heading
    if justification is not None:
        row.justification = justification.strip()
    row.version += 1
    row.updated_at = at
    row.save(update_fields=["text", "heading", "justification", "version", "updated_at"])
    append_journal(
        "drafting.proposal.edited", {**_proposal_payload(row, user), "before": before, "text": row.text}
    )
    _send_for(row)
    return row


def _require_sponsor(user: Any, row: Proposal, what: str) -> None:
    if user is None:
        return
    own = getattr(getattr(user, "profile", None), "actor", None)
    if role_of(user) != DELEGATE or own is None or own.key != row.sponsor_id:
        raise NotAllowed(
            _("Only the sponsor (%(sponsor)s) may %(what)s.") % {"sponsor": row.sponsor_id, "what": what}
        )


def _send_for(row: Proposal) -> None:
    if _structure_changes(row):
        send_text_update(row.instrument)
    else:
        send_text_update(
            row.instrument, [row.new_parent if row.kind == ProposalKind.ADD_PROVISION else row.eid]
        )


@transaction.atomic
def do_withdraw_proposal(user: Any, proposal: Proposal, *, expected_version: int | None = None) -> Proposal:
    """The sponsor withdraws the proposal; it leaves the rolling text, its record stays."""
    row = _lock_proposal(proposal)
    _require_sponsor(user, row, _("withdraw this proposal"))
    done = P.set_status(
        _engine(row),
        P.ProposalStatus.WITHDRAWN,
        expected_version=row.version if expected_version is None else expected_version,
    )
    row.status = done.status.value
    row.version = done.version
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "version", "updated_at"])
    append_journal("drafting.proposal.withdrawn", _proposal_payload(row, user))
    _send_for(row)
    return row


@transaction.atomic
def do_cosponsor(user: Any, proposal: Proposal, *, delegation: str | None = None) -> CoSponsorship:
    """`delegation` (the delegate's own) joins the proposal as a co-sponsor, from now."""
    code = _acting_for(user, delegation, _("co-sponsor proposals"))
    row = _lock_proposal(proposal)
    at = timezone.now()
    joined = P.join(
        _engine(row), code, at, expected_version=row.version, provision_status=_provision_status(row)
    )
    record = CoSponsorship.objects.create(proposal=row, delegation_id=code, joined_at=at)
    row.version = joined.version
    row.updated_at = at
    row.save(update_fields=["version", "updated_at"])
    append_journal("drafting.cosponsor.joined", {**_proposal_payload(row, user), "delegation": code})
    _send_for(row)
    return record


@transaction.atomic
def do_withdraw_cosponsorship(
    user: Any, proposal: Proposal, *, delegation: str | None = None
) -> CoSponsorship:
    """`delegation` stops co-sponsoring the proposal; the record keeps both dates."""
    code = _acting_for(user, delegation, _("withdraw co-sponsorships"))
    row = _lock_proposal(proposal)
    at = timezone.now()
    done = P.withdraw_sponsorship(
        _engine(row), code, at, expected_version=row.version, provision_status=_provision_status(row)
    )
    record = (
        row.cosponsorships.filter(delegation_id=code, withdrawn_at__isnull=True).order_by("joined_at").first()
    )
    if record is None:  # the engine has already refused this; kept for the type checker
        raise SponsorshipError(f"{code} does not co-sponsor proposal {row.pk}")
    record.withdrawn_at = at
    record.save(update_fields=["withdrawn_at"])
    row.version = done.version
    row.updated_at = at
    row.save(update_fields=["version", "updated_at"])
    append_journal("drafting.cosponsor.withdrawn", {**_proposal_payload(row, user), "delegation": code})
    _send_for(row)
    return record


# -- provisions, versions, imports ----------------------------------------------------------------


@transaction.atomic
def do_set_provision_status(
    user: Any, provision: Provision, *, trigger: str, decision_ref: str = ""
) -> ProvisionStatus:
    """Move a provision along the status table (open → agreed informally → agreed ad referendum →
    adopted, or deleted, or reopened); adoption and undoing it must cite a decision."""
    _require_secretariat(user, _("set the status of provisions"))
    row = Provision.objects.select_for_update().select_related("instrument").get(pk=provision.pk)
    try:
        step = Trigger(trigger)
    except ValueError:
        raise DraftingRefused(
            _("Trigger: %(trigger)r is not a status change (known: %(known)s).")
            % {"trigger": trigger, "known": ", ".join(t.value for t in Trigger)}
        ) from None
    at = timezone.now()
    current = Status(row.status)
    state = ProvisionState(row.eid, (StatusRecord(current, "", at),) if current is not Status.OPEN else ())
    after = apply(state, step, by=_who(user) or "system", at=at, decision_ref=decision_ref.strip() or None)
    row.status = after.status.value
    row.save(update_fields=["status"])
    record = ProvisionStatus.objects.create(
        provision=row,
        status=row.status,
        trigger=step.value,
        set_by=_real(user),
        set_at=at,
        decision_ref=decision_ref.strip(),
    )
    append_journal(
        "drafting.provision.status",
        {
            "instrument": row.instrument_id,
            "eid": row.eid,
            "from": current.value,
            "to": row.status,
            "trigger": step.value,
            "decision_ref": record.decision_ref,
            "by": _who(user),
        },
    )
    # A deleted provision leaves the text, a restored one comes back: the whole text is resent then.
    send_text_update(row.instrument, None if Status.DELETED in (current, after.status) else [row.eid])
    return record


@transaction.atomic
def do_take_version(user: Any, instrument: Instrument, *, name: str) -> Version:
    """Store the current rolling text under `name` ("Draft", "Rev.1"); a version never changes."""
    _require_secretariat(user, _("take versions of the text"))
    name = name.strip()
    if not name:
        raise DraftingRefused(_("Name: give the version a name, such as Rev.1."))
    if Version.objects.filter(instrument=instrument, name=name).exists():
        raise DraftingRefused(_("Name: this text already has a version called %(name)s.") % {"name": name})
    notation = serialize(rolling_text(instrument))
    version = Version.objects.create(
        instrument=instrument, name=name, notation=notation, taken_at=timezone.now(), taken_by=_real(user)
    )
    append_journal(
        "drafting.version.taken",
        {
            "instrument": instrument.pk,
            "version": version.pk,
            "name": name,
            "by": _who(user),
            "sha256": hashlib.sha256(notation.encode("utf-8")).hexdigest(),
        },
    )
    return version


@transaction.atomic
def do_import_text(
    user: Any,
    *,
    data: bytes,
    filename: str = "",
    instrument: Instrument | None = None,
    title: str = "",
    body: Any = None,
) -> Instrument:
    """Read a whole negotiating text (bracket notation, Akoma Ntoso or DOCX) into a new instrument,
    or in place of an existing instrument's text (whose previous state is kept as a version).
    Any error in the file (NotationError with lines and columns, ImportFormatError) stops the
    import before anything is written."""
    _require_secretariat(user, _("import texts"))
    if len(data) > MAX_IMPORT_BYTES:
        raise FileTooLarge(
            _("File: %(name)s is %(size).1f MB; the limit is %(limit)d MB.")
            % {
                "name": filename or _("the file"),
                "size": len(data) / 1e6,
                "limit": MAX_IMPORT_BYTES // (1024 * 1024),
            }
        )
    if not data.strip():
        raise DraftingRefused(_("File: %(name)s is empty.") % {"name": filename or _("the file")})
    known = set(Actor.objects.values_list("key", flat=True))
    at = timezone.now()
    negotiation = import_file(data, filename, at=at, is_known_sponsor=known.__contains__)

    if instrument is None:
        instrument = Instrument.objects.create(
            title=title.strip() or negotiation.instrument.title or filename, body=body, created_by=_real(user)
        )
        replaced = None
    else:
        instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
        replaced = None
        if instrument.provisions.exists():
            replaced = f"Before import {at:%Y-%m-%d %H:%M:%S}"
            Version.objects.create(
                instrument=instrument,
                name=replaced,
                notation=serialize(rolling_text(instrument)),
                taken_at=at,
                taken_by=_real(user),
            )
            instrument.proposals.all().delete()
            instrument.provisions.all().delete()
        new_title = title.strip() or negotiation.instrument.title
        if new_title and new_title != instrument.title:
            instrument.title = new_title
            instrument.save(update_fields=["title"])

    rows = Provision.objects.bulk_create(
        Provision(
            instrument=instrument,
            eid=node.eid,
            kind=node.kind.value,
            parent=node.parent,
            position=n,
            heading=node.heading,
            text=node.text,
            status=negotiation.statuses.get(node.eid, Status.OPEN).value,
        )
        for n, node in enumerate(negotiation.instrument)
    )
    if any(r.pk is None for r in rows):  # a backend that does not return ids
        rows = list(instrument.provisions.all())
    ProvisionStatus.objects.bulk_create(
        ProvisionStatus(
            provision=r, status=r.status, trigger="import", set_by=_real(user), set_at=at, decision_ref=""
        )
        for r in rows
        if r.status != Status.OPEN
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            instrument=instrument,
            eid=p.provision,
            kind=p.kind.value,
            sponsor_id=p.sponsor,
            tabled_by=_real(user),
            tabled_at=p.tabled_at,
            start=p.start,
            end=p.end,
            text=p.text,
            quoted=p.quoted,
            heading=p.heading,
            new_eid=p.new_eid,
            new_kind=p.new_kind,
            new_parent=p.new_parent,
            justification=p.justification,
            status=p.status.value,
            version=1,
            updated_at=at,
        )
        for p in negotiation.proposals
    )
    CoSponsorship.objects.bulk_create(
        CoSponsorship(
            proposal=row, delegation_id=c.delegation, joined_at=c.joined_at, withdrawn_at=c.withdrawn_at
        )
        for row, p in zip(proposals, negotiation.proposals, strict=True)
        for c in p.cosponsors
    )
    append_journal(
        "drafting.text.imported",
        {
            "instrument": instrument.pk,
            "title": instrument.title,
            "file": filename,
            "sha256": hashlib.sha256(data).hexdigest(),
            "provisions": len(rows),
            "proposals": len(proposals),
            "unattributed": negotiation.unattributed,
            "replaced_version": replaced,
            "by": _who(user),
        },
    )
    send_text_update(instrument)
    return instrument


def explain(exc: Exception) -> tuple[int, str, str, list[dict[str, Any]]]:
    """HTTP status, error code, message and details for a refused change (pages and API alike)."""
    from consensio.engine.text.errors import (
        ImportFormatError,
        NotationError,
        ProvisionClosedError,
        SponsorsFrozenError,
        StructureError,
        TextError,
        TransitionError,
        UnknownProvisionError,
    )

    if isinstance(exc, NotAllowed):
        return 403, "forbidden", str(exc), []
    if isinstance(exc, ConflictError):
        return (
            409,
            "conflict",
            _("%(error)s. Reload the proposal to see the change, then edit again.") % {"error": exc},
            [{"expected": exc.expected, "actual": exc.actual}],
        )
    if isinstance(exc, NotationError):
        return (
            400,
            "malformed",
            _("The file is not valid bracket notation: %(error)s") % {"error": exc},
            [{"line": line, "column": col, "message": msg} for line, col, msg in exc.errors],
        )
    if isinstance(exc, ImportFormatError):
        return 400, "unreadable", str(exc), []
    if isinstance(exc, ProvisionClosedError):
        return 409, "provision_closed", str(exc), [{"eid": exc.eid, "status": exc.status}]
    if isinstance(exc, SpanError):
        return 400, "span", str(exc), [{"eid": exc.eid, "span": exc.span, "problem": exc.problem}]
    if isinstance(exc, UnknownProvisionError):
        return 404, "unknown_provision", str(exc), [{"eid": exc.eid}]
    if isinstance(exc, SponsorsFrozenError):
        return 409, "sponsors_frozen", str(exc), [{"eid": exc.eid}]
    if isinstance(exc, TransitionError):
        return (
            409,
            "transition_refused",
            str(exc),
            [{"eid": exc.eid, "state": exc.state, "trigger": exc.trigger}],
        )
    if isinstance(exc, StructureError | SponsorshipError | ProposalStateError):
        return 409, "refused", str(exc), []
    if isinstance(exc, FileTooLarge):
        return 413, "too_large", str(exc), []
    if isinstance(exc, DraftingRefused):
        return 400, "refused", str(exc), []
    if isinstance(exc, TextError):
        return 400, "refused", str(exc), []
    raise exc

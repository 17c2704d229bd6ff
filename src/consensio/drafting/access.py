"""Fetching negotiating texts for a view. Texts, proposals and versions are public documents of
the negotiation: every read is open; the writes are guarded in actions.py."""

from __future__ import annotations

from django.http import Http404

from consensio.drafting.models import Instrument, Proposal, Provision, Version


def get_instrument(pk: int) -> Instrument:
    instrument = Instrument.objects.select_related("body").filter(pk=pk).first()
    if instrument is None:
        raise Http404("No such text.")
    return instrument


def get_provision(instrument: Instrument, eid: str) -> Provision:
    provision = Provision.objects.filter(instrument=instrument, eid=eid).first()
    if provision is None:
        raise Http404(f"No provision {eid} in this text.")
    return provision


def get_proposal(pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("instrument", "sponsor").filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def get_version(instrument: Instrument, pk: int) -> Version:
    version = Version.objects.filter(instrument=instrument, pk=pk).first()
    if version is None:
        raise Http404("No such version of this text.")
    return version

"""Pages for States, groups and statements."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from consensio.actors.access import get_actor, get_statement, statements_with_parties
from consensio.actors.actions import StatementRejected, do_save_statement
from consensio.actors.forms import StatementForm
from consensio.actors.models import Actor, Group, GroupMembership, Statement
from consensio.actors.resolution import resolve_statement
from consensio.core.access import public, secretariat_required
from consensio.core.pagecache import cached_page

# The five UN regional groups, in the order UN documents list them (roster engine keys).
REGIONAL_ORDER = ("AG", "APG", "EEG", "GRULAC", "WEOG")


@public
@cached_page
def states_index(request: HttpRequest) -> HttpResponse:
    actors = list(Actor.objects.order_by("name"))
    groups = list(
        Group.objects.annotate(member_count=Count("memberships", filter=Q(memberships__until__isnull=True)))
        .order_by("kind", "name")
    )
    names = {g.key: g.name for g in groups}
    by_group: OrderedDict[str, list[Actor]] = OrderedDict((g, []) for g in REGIONAL_ORDER)
    no_group: list[Actor] = []
    for actor in actors:
        if not actor.un_member:
            continue
        if actor.regional_group in by_group:
            by_group[actor.regional_group].append(actor)
        else:
            no_group.append(actor)
    context = {
        # Some 200 links: built from the two prefixes rather than reversed one by one.
        "states_url": reverse("states"),
        "groups_url": reverse("group-detail", args=["_"])[:-2],
        "regional": [(key, names.get(key, key), members) for key, members in by_group.items()],
        "no_group": no_group,
        "members_total": sum(1 for a in actors if a.un_member),
        "observers": [a for a in actors if not a.un_member],
        "groups": groups,
    }
    return render(request, "actors/states.html", context)


@public
@cached_page
def actor_detail(request: HttpRequest, key: str) -> HttpResponse:
    actor = get_actor(key)
    statements = (
        statements_with_parties()
        .filter(Q(delivered_by=actor) | Q(parties__actor=actor) | Q(parties__listed_under=actor))
        .distinct()
    )
    return render(request, "actors/actor.html", {"actor": actor, "statements": statements})


@public
@cached_page
def group_detail(request: HttpRequest, key: str) -> HttpResponse:
    memberships = GroupMembership.objects.select_related("actor").order_by("actor__name")
    group = get_object_or_404(Group.objects.prefetch_related(Prefetch("memberships", queryset=memberships)), key=key)
    return render(request, "actors/group.html", {"group": group})


@public
@cached_page
def statement_list(request: HttpRequest) -> HttpResponse:
    statements = Statement.objects.select_related("delivered_by").annotate(party_count=Count("parties"))
    return render(request, "actors/statements.html", {"statements": statements})


@public
@cached_page
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = get_statement(statement_id)
    parties = list(statement.parties.all())
    top = [p for p in parties if p.role == "on_behalf_of" and p.listed_under_id is None]
    nested: dict[int, list[object]] = {}
    for p in parties:
        if p.role == "on_behalf_of" and p.listed_under_id is not None:
            nested.setdefault(p.listed_under_id, []).append(p)
    rows = [(p, nested.get(p.actor_id or -1, [])) for p in top]
    states = {p.actor_id for p in parties if p.role == "on_behalf_of" and p.actor and p.actor.kind == "state"}
    return render(
        request,
        "actors/statement.html",
        {
            "statement": statement,
            "rows": rows,
            "aligned": [p for p in parties if p.role == "aligned"],
            "state_count": len(states),
        },
    )


@secretariat_required
def statement_new(request: HttpRequest) -> HttpResponse:
    resolution = None
    if request.method == "POST":
        form = StatementForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            picks = _picks(request)
            if request.POST.get("action") == "save":
                try:
                    statement = do_save_statement(
                        request.user, title=data["title"], text=data["text"], source=data["source"],
                        delivered_on=data["delivered_on"], picks=picks,
                    )
                except StatementRejected as exc:
                    resolution = exc.resolution
                    for error in exc.errors:
                        form.add_error(None, error)
                else:
                    messages.success(request, _("Statement saved with %(n)d entries.") % {"n": statement.parties.count()})
                    return redirect("statement-detail", statement_id=statement.pk)
            else:
                resolution = resolve_statement(data["text"], picks)
                # An uploaded file's text moves into the text box so that confirming keeps it.
                form = StatementForm(initial={k: v for k, v in data.items() if k != "upload"})
        status = 400 if form.is_bound and form.errors else 200
    else:
        form = StatementForm()
        status = 200
    return render(request, "actors/statement_new.html", {"form": form, "resolution": resolution}, status=status)


def _picks(request: HttpRequest) -> dict[int, str]:
    picks: dict[int, str] = {}
    for name, value in request.POST.items():
        if name.startswith("pick-") and name[5:].isdigit():
            if value == "__leave_out__":
                picks[int(name[5:])] = ""
            elif value:
                picks[int(name[5:])] = value
    return picks

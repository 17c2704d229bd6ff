"""Pages of the forum: bodies, sessions, agenda items, delegations and credentials,
documents and their files, search, venues and the session planner."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consensio.core.access import (
    CHAIR,
    DELEGATE,
    OBSERVER,
    SECRETARIAT,
    forbidden,
    public,
    roles_required,
    secretariat_required,
)
from consensio.core.pagecache import cached_page
from consensio.forum import access, costs
from consensio.forum.actions import (
    ForumRefused,
    NotAllowed,
    do_accept_credentials,
    do_add_delegate,
    do_add_language_version,
    do_issue_document,
    do_set_venue_figure,
    do_submit_credentials,
)
from consensio.forum.forms import DelegateForm, DocumentForm, FigureForm, LanguageVersionForm, PlannerForm
from consensio.forum.models import (
    AgendaItem,
    Body,
    Delegation,
    DocumentType,
    Venue,
    VenueFigure,
    can_vote,
)
from consensio.forum.search import SearchError, search

PARTICIPANT_ROLES = (SECRETARIAT, CHAIR, DELEGATE, OBSERVER)


@public
@cached_page
def body_list(request: HttpRequest) -> HttpResponse:
    bodies = Body.objects.annotate(session_count=Count("sessions")).order_by("name")
    return render(request, "forum/bodies.html", {"bodies": bodies})


@public
@cached_page
def body_detail(request: HttpRequest, key: str) -> HttpResponse:
    body = access.get_body(key)
    bureau = list(body.bureau.all())
    return render(request, "forum/body.html", {
        "body": body,
        "serving": [m for m in bureau if m.until is None],
        "former": [m for m in bureau if m.until is not None],
        "sessions": body.sessions.all(),
    })


@public
@cached_page
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.get_session(session_id)
    days = [(day, list(meetings)) for day, meetings in groupby(session.meetings.all(), key=lambda m: m.date)]
    documents = access.documents_for_user(request.user).filter(sessions=session).order_by("symbol")
    delegations = list(access.delegations_of(session))
    return render(request, "forum/session.html", {
        "session": session, "days": days, "agenda": session.agenda_items.all(), "documents": documents,
        "members": [d for d in delegations if can_vote(d)],
        "observers": [d for d in delegations if not can_vote(d)],
    })


@public
@cached_page
def agenda_item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access.get_agenda_item(item_id)
    documents = access.documents_for_user(request.user).filter(agenda_items=item).order_by("symbol")
    return render(request, "forum/agenda_item.html", {"item": item, "meetings": item.meetings.all(),
                                                       "documents": documents})


@public
@cached_page
def delegation_detail(request: HttpRequest, delegation_id: int) -> HttpResponse:
    delegation = access.get_delegation(delegation_id)
    manage = access.may_manage_delegation(request.user, delegation)
    return render(request, "forum/delegation.html", {
        "delegation": delegation, "votes": can_vote(delegation), "manage": manage,
        "form": DelegateForm() if manage else None,
    })


@require_POST
@roles_required(*PARTICIPANT_ROLES)
def delegation_change(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """Add a delegate or submit credentials: the delegation's own delegates, or the secretariat."""
    delegation = access.get_delegation(delegation_id)
    form = DelegateForm(request.POST) if request.POST.get("action") == "add" else None
    try:
        if form is not None:
            if not form.is_valid():
                raise ForumRefused([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
            do_add_delegate(request.user, delegation, name=form.cleaned_data["name"],
                            function=form.cleaned_data["function"])
            messages.success(request, _("Delegate added."))
        elif request.POST.get("action") == "submit":
            do_submit_credentials(request.user, delegation)
            messages.success(request, _("Credentials submitted to the secretariat."))
        else:
            raise ForumRefused([_("Choose an action: add a delegate or submit credentials.")])
    except NotAllowed as exc:
        return forbidden(request, str(exc))
    except ForumRefused as exc:
        return render(request, "forum/delegation.html", {
            "delegation": delegation, "votes": can_vote(delegation), "manage": True,
            "form": form or DelegateForm(), "errors": exc.errors,
        }, status=400)
    return redirect("forum-delegation", delegation_id=delegation.pk)


@secretariat_required
def credentials(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.get_session(session_id)
    errors: list[str] = []
    if request.method == "POST":
        delegation = Delegation.objects.select_related("actor", "participant").filter(
            session=session, pk=request.POST.get("delegation") or 0).first()
        if delegation is None:
            raise Http404("No such delegation in this session.")
        try:
            do_accept_credentials(request.user, delegation)
        except ForumRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Credentials of %(name)s accepted.") % {"name": delegation.name})
            return redirect("forum-credentials", session_id=session.pk)
    delegations = list(access.delegations_of(session))
    return render(request, "forum/credentials.html", {"session": session, "delegations": delegations,
                                                       "errors": errors}, status=400 if errors else 200)


# --- documents ------------------------------------------------------------------------

@public
@cached_page
def document_list(request: HttpRequest) -> HttpResponse:
    documents = access.documents_for_user(request.user).order_by("symbol")
    doc_type = request.GET.get("type", "")
    if doc_type in DocumentType.values:
        documents = documents.filter(doc_type=doc_type)
    return render(request, "forum/documents.html", {"documents": documents, "types": DocumentType.choices,
                                                     "doc_type": doc_type})


@public
@cached_page
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, document_id)
    return render(request, "forum/document.html", {"document": document,
                                                    "form": LanguageVersionForm() if _is_secretariat(request) else None})


def _is_secretariat(request: HttpRequest) -> bool:
    from consensio.core.access import is_secretariat

    return is_secretariat(request.user)


@public
def document_file(request: HttpRequest, document_id: int, language: str) -> HttpResponse:
    version = access.get_version_for_user(request.user, document_id, language)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this document is missing from storage.") from None
    filename = f"{version.document.symbol.replace('/', '_')}-{language}.{version.file_kind}"
    response = FileResponse(handle, as_attachment=False, filename=filename,
                            content_type="application/pdf" if version.file_kind == "pdf" else
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Cache-Control"] = "private, no-store" if version.document.distribution != "general" else "public, max-age=300"
    return response


@secretariat_required
def document_new(request: HttpRequest) -> HttpResponse:
    items = list(AgendaItem.objects.select_related("session__body").order_by("session__starts_on", "position"))
    choices = [(str(a.pk), f"{a.session.body.short_name} · {a.session.label} · {a.number}. {a.title}") for a in items]
    errors: list[str] = []
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, agenda_choices=choices)
        if form.is_valid():
            data = form.cleaned_data
            chosen = [a for a in items if str(a.pk) in set(data["agenda_items"])]
            upload = data["file"]
            try:
                document = do_issue_document(
                    request.user, symbol=data["symbol"], title=data["title"], doc_type=data["doc_type"],
                    distribution=data["distribution"], language=data["language"], filename=upload.name,
                    data=upload.read(), body=chosen[0].session.body if chosen else None, agenda_items=chosen,
                    issued_on=data["issued_on"],
                )
            except ForumRefused as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Document %(symbol)s issued.") % {"symbol": document.symbol})
                return redirect("forum-document", document_id=document.pk)
    else:
        form = DocumentForm(agenda_choices=choices)
    status = 400 if (form.is_bound and form.errors) or errors else 200
    return render(request, "forum/document_new.html", {"form": form, "errors": errors}, status=status)


@require_POST
@secretariat_required
def document_add_language(request: HttpRequest, document_id: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, document_id)
    form = LanguageVersionForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            do_add_language_version(request.user, document, language=form.cleaned_data["language"],
                                    filename=upload.name, data=upload.read())
        except ForumRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Language version added."))
            return redirect("forum-document", document_id=document.pk)
    return render(request, "forum/document.html", {"document": document, "form": form, "errors": errors},
                  status=400)


@public
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    hits, error = [], ""
    if q:
        try:
            hits = search(request.user, q)
        except SearchError as exc:
            error = str(exc)
    return render(request, "forum/search.html", {"q": q, "hits": hits, "error": error},
                  status=400 if error else 200)


# --- venues ---------------------------------------------------------------------------

def _venues_with_figures() -> list[Venue]:
    return list(Venue.objects.prefetch_related(
        Prefetch("figures", queryset=VenueFigure.objects.order_by("kind"))).order_by("city"))


@public
@cached_page
def venue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/venues.html", {"venues": _venues_with_figures(),
                                                  "form": FigureForm() if _is_secretariat(request) else None})


@require_POST
@secretariat_required
def venue_figure(request: HttpRequest, key: str) -> HttpResponse:
    venue = Venue.objects.filter(key=key).first()
    if venue is None:
        raise Http404("No such venue.")
    form = FigureForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        d = form.cleaned_data
        try:
            do_set_venue_figure(request.user, venue, kind=d["kind"], amount=d["amount"], source=d["source"],
                                as_of=d["as_of"], illustrative=d["illustrative"])
        except ForumRefused as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Figure saved."))
            return redirect("forum-venues")
    else:
        errors = [f"{k}: {' '.join(v)}" for k, v in form.errors.items()]
    return render(request, "forum/venues.html", {"venues": _venues_with_figures(), "form": form,
                                                  "errors": errors}, status=400)


@public
def session_planner(request: HttpRequest) -> HttpResponse:
    form = PlannerForm(request.GET or None)
    estimates = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        estimates = costs.compare(_venues_with_figures(), d["days"], d["delegations"], d["pages"])
    elif not form.is_bound:
        form = PlannerForm(initial={"days": 10, "delegations": 50, "pages": 500})
    status = 400 if form.is_bound and form.errors else 200
    cheapest = next((e for e in estimates or [] if e.complete), None)
    return render(request, "forum/planner.html", {"form": form, "estimates": estimates, "cheapest": cheapest},
                  status=status)



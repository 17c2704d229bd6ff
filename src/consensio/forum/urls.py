from __future__ import annotations

from django.urls import URLPattern, path

from consensio.forum import views

urlpatterns: list[URLPattern] = [
    path("bodies/", views.body_list, name="forum-bodies"),
    path("bodies/<slug:key>/", views.body_detail, name="forum-body"),
    path("sessions/<int:session_id>/", views.session_detail, name="forum-session"),
    path("sessions/<int:session_id>/credentials/", views.credentials, name="forum-credentials"),
    path("agenda/<int:item_id>/", views.agenda_item_detail, name="forum-agenda-item"),
    path("delegations/<int:delegation_id>/", views.delegation_detail, name="forum-delegation"),
    path("delegations/<int:delegation_id>/change/", views.delegation_change, name="forum-delegation-change"),
    path("documents/", views.document_list, name="forum-documents"),
    path("documents/new/", views.document_new, name="forum-document-new"),
    path("documents/<int:document_id>/", views.document_detail, name="forum-document"),
    path("documents/<int:document_id>/languages/", views.document_add_language, name="forum-document-language"),
    path("documents/<int:document_id>/<str:language>/file/", views.document_file, name="forum-document-file"),
    path("search/", views.search_page, name="forum-search"),
    path("venues/", views.venue_list, name="forum-venues"),
    path("venues/<slug:key>/figures/", views.venue_figure, name="forum-venue-figure"),
    path("venues/plan/", views.session_planner, name="forum-planner"),
]

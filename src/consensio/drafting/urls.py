from __future__ import annotations

from django.urls import URLPattern, path

from consensio.drafting import views

urlpatterns: list[URLPattern] = [
    path("texts/", views.text_list, name="drafting-texts"),
    path("texts/import/", views.text_import, name="drafting-import"),
    path("texts/<int:pk>/", views.text_detail, name="drafting-text"),
    path("texts/<int:pk>/compare/", views.compare_versions, name="drafting-compare"),
    path("texts/<int:pk>/versions/", views.version_take, name="drafting-version-take"),
    path("texts/<int:pk>/export.<str:fmt>", views.export_text, name="drafting-export"),
    path("texts/<int:pk>/provisions/<str:eid>/", views.provision_detail, name="drafting-provision"),
    path("texts/<int:pk>/provisions/<str:eid>/propose/", views.proposal_new, name="drafting-propose"),
    path("texts/<int:pk>/provisions/<str:eid>/status/", views.provision_status, name="drafting-status"),
    path("proposals/<int:proposal_id>/cosponsor/", views.proposal_cosponsor, name="drafting-cosponsor"),
    path(
        "proposals/<int:proposal_id>/cosponsor/withdraw/",
        views.proposal_uncosponsor,
        name="drafting-uncosponsor",
    ),
    path("proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="drafting-withdraw"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="drafting-edit"),
]

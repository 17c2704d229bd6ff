from __future__ import annotations

from django.urls import URLPattern, path

from consensio.decisions import views

urlpatterns: list[URLPattern] = [
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/<int:question_id>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:question_id>/step/", views.decision_step, name="decision-step"),
    path("sessions/<int:session_id>/decisions/", views.decision_list, name="session-decisions"),
    path("sessions/<int:session_id>/decisions/new/", views.decision_new, name="decision-new"),
]

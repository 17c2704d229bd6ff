from __future__ import annotations

from django.urls import URLPattern, path

from consensio.floor import views

urlpatterns: list[URLPattern] = [
    path("floor/", views.floor_index, name="floor"),
    path("floor/<int:meeting_id>/", views.floor_screen, name="floor-screen"),
    path("floor/<int:meeting_id>/chair/", views.chair_console, name="floor-chair"),
    path("floor/<int:meeting_id>/delegate/", views.delegate_console, name="floor-delegate"),
    path("floor/<int:meeting_id>/controls/", views.floor_controls, name="floor-controls"),
    path("floor/<int:meeting_id>/act/", views.floor_act, name="floor-act"),
]

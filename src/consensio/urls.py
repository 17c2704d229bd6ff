from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from consensio.actors import views as actors
from consensio.api import api
from consensio.core import views as core

urlpatterns = [
    path("", core.home, name="home"),
    path("login/", core.login, name="login"),
    path("logout/", core.logout, name="logout"),
    path("language/", core.set_language, name="set-language"),
    path("states/", actors.states_index, name="states"),
    path("states/<str:key>/", actors.actor_detail, name="actor-detail"),
    path("groups/<str:key>/", actors.group_detail, name="group-detail"),
    path("statements/", actors.statement_list, name="statements"),
    path("statements/new/", actors.statement_new, name="statement-new"),
    path("statements/<int:statement_id>/", actors.statement_detail, name="statement-detail"),
    path("", include("consensio.forum.urls")),
    path("", include("consensio.drafting.urls")),
    path("", include("consensio.decisions.urls")),
    path("", include("consensio.floor.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "consensio.core.views.error_400"
handler403 = "consensio.core.views.error_403"
handler404 = "consensio.core.views.error_404"
handler500 = "consensio.core.views.error_500"

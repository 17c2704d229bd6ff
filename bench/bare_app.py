"""Bench-only: the barest Django there is — one JsonResponse view, no middleware, no apps.

Not part of the product. It is both a settings module and the apps the HTTP benchmark serves
as its baseline (bench/bench_http.py):

    DJANGO_SETTINGS_MODULE=bare_app PYTHONPATH=bench gunicorn bare_app:wsgi_application
    DJANGO_SETTINGS_MODULE=bare_app PYTHONPATH=bench uvicorn --factory bare_app:threaded_application

`threaded_application` is the same server stack as `consensio serve` (uvicorn, the WSGI
handler in a thread pool); only the application differs.
"""

from __future__ import annotations

import os
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path

SECRET_KEY = "bench-only-not-secret-" + "x" * 32
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, Any] = {}
USE_TZ = True


def json_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"name": "Consensio", "states": 40, "open": True, "items": [1, 2, 3], "body": None})


urlpatterns = [path("json", json_view)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", __name__)

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

wsgi_application = get_wsgi_application()
asgi_application = get_asgi_application()


def threaded_application() -> Any:
    from consensio.commands.serve import DEFAULT_THREADS, WsgiInThreads

    threads = int(os.environ.get("CONSENSIO_HTTP_THREADS", DEFAULT_THREADS))
    return WsgiInThreads(wsgi_application, threads=threads, multiprocess=True)

"""WSGI entry point, for serving pages from sync workers where that is faster."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consensio.settings")
application = get_wsgi_application()

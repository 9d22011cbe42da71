"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A worker's first search would load the Polish lemma dictionary (seconds): do it before
# the worker takes requests.
from search.analysis import warm_up  # noqa: E402 (needs Django set up)

warm_up()

"""gunicorn settings for Kronika: `gunicorn -c config/gunicorn.conf.py` (docs/configuration.md).

The limits on what a request may carry are set here on purpose, not left to gunicorn's
defaults. Addresses: gunicorn's own default (4094 bytes for the request line) answered longer
ones with its plain HTML 400 before Kronika saw them; the line may now be as long as
gunicorn allows (8190 bytes), and Kronika itself answers addresses over KRONIKA_MAX_URL_BYTES
(4096) with a clear 414, JSON under /api/. Only a line over 8190 bytes still gets gunicorn's
400. Command-line options (--bind, --workers) override what is here.
"""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("KRONIKA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Request line (method, address and protocol), header count and one header's size.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

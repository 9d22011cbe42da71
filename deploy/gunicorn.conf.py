"""gunicorn for production, behind nginx: `gunicorn -c deploy/gunicorn.conf.py`.

Starts from config/gunicorn.conf.py (the application, the bind address and the request
limits, docs/configuration.md) and adds what a server needs (docs/deployment.md). Every
value can be changed from the environment file (deploy/kronika.env.example):

- KRONIKA_BIND             127.0.0.1:8000: only nginx on this machine talks to gunicorn
- WEB_CONCURRENCY          workers; default 2 × CPU cores + 1 (sync workers: one request each)
- KRONIKA_WORKER_TIMEOUT   30 s: a worker silent longer is killed and replaced. Keep
                           DATABASE_BUSY_TIMEOUT (20) below it and nginx's proxy_read_timeout
                           (60) above it, so the clean 503 comes first and gunicorn's kill last
- KRONIKA_FORWARDED_ALLOW_IPS  127.0.0.1,::1: who may tell gunicorn the request came over
                           HTTPS (X-Forwarded-Proto); only the local nginx
- KRONIKA_ACCESS_LOG       "-" (standard output: the journal) or a file
"""

import multiprocessing
import os
import runpy
from pathlib import Path

_base = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config" / "gunicorn.conf.py"))
wsgi_app = _base["wsgi_app"]
bind = _base["bind"]
limit_request_line = _base["limit_request_line"]
limit_request_fields = _base["limit_request_fields"]
limit_request_field_size = _base["limit_request_field_size"]

workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("KRONIKA_WORKER_TIMEOUT", "30"))
graceful_timeout = 30
# nginx buffers requests and answers, so sync workers never wait on a slow client.
keepalive = 2
# Replace each worker now and then (spread out), so a slow leak cannot grow for months.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file on a RAM disk: a busy disk cannot make the arbiter think workers hang.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# nginx on this machine sets X-Forwarded-Proto: from these addresses only, gunicorn believes
# it, so Django sees https (request.is_secure(), secure cookies, CSRF's origin check).
forwarded_allow_ips = os.environ.get("KRONIKA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("KRONIKA_ACCESS_LOG", "-")
errorlog = "-"
# Client address as nginx saw it, request, status, size, referrer, agent, microseconds.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(D)sus'
proc_name = "kronika-web"

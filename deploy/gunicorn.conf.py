"""gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

The GUNICORN_* environment variables below override the defaults; every
FUDAO_* setting is read by the app itself (see config.py). nginx in front
terminates TLS and passes X-Forwarded-For, X-Forwarded-Proto and
X-Request-ID; the app trusts the first two through ``FUDAO_TRUSTED_PROXIES``
(werkzeug's ProxyFix), so gunicorn's own forwarded-header handling is left
at its default, which trusts only 127.0.0.1 as well.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker, and the pages are database
# bound rather than waiting on slow clients, which nginx buffers.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A 30,000-row spreadsheet import commits in one request, which took about
# 15 s on a busy machine in bench/import_30k.py (docs/benchmarks.md). A
# worker killed half-way would roll it back, so the limit leaves a wide
# margin for slower servers. nginx's proxy_read_timeout matches.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
# No control socket: the service user's home is read-only under the systemd
# unit, and two servers run by one user would share the socket.
control_socket_disable = True
# On SIGTERM (systemctl stop or restart) requests under way get this long
# to finish before their worker is killed.
graceful_timeout = 30
# nginx keeps connections to the app open between requests.
keepalive = 5
# Replace each worker after about a thousand requests, so memory that a
# large export or import leaves behind is given back; 0 keeps workers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = 100
# The heartbeat file lives in memory, so a slow disk cannot make the
# arbiter think a worker hung.
worker_tmp_dir = "/dev/shm"
# The app writes one line per request with its request id, status and
# duration (web/request_logging.py), so gunicorn's access log stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

if os.environ.get("FUDAO_LOG_FORMAT") == "json":
    # gunicorn's own lines (worker starts, timeouts) in the app's JSON format,
    # so journald holds one format only.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "web.request_logging.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["stderr"],
                "level": loglevel.upper(),
                "propagate": False,
            },
        },
        "root": {"level": "INFO", "handlers": []},
    }

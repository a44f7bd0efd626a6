"""Loaded into the Celery worker that `make run` starts (``--include scripts.dev_worker``).

It says once, on stdout, that the worker is ready, so that scripts/run.py can print the sign-in
banner last; and it drops kombu's "No hostname was supplied" warning, which the filesystem
broker (it has no host) raises on every connection.
"""

from __future__ import annotations

import logging
import sys

from celery.signals import worker_ready

#: scripts/run.py waits for this exact line.
READY_LINE = "Celery worker ready."


class _NoHostnameNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No hostname was supplied")


logging.getLogger("kombu.connection").addFilter(_NoHostnameNotice())


@worker_ready.connect
def _say_ready(**_: object) -> None:
    # sys.__stdout__: the worker redirects sys.stdout into its log at WARNING level.
    print(READY_LINE, file=sys.__stdout__, flush=True)

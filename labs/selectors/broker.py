"""What the broker itself says about the grading queue: its default queue's length and which
workers answer a ping, each question within a short timeout.

A broker that is down, slow or unable to tell gives "unknown" (``None``) with the reason, never
an exception: the operations page must work best exactly when something is broken.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

#: Seconds allowed to each question to the broker (connect, queue length, ping).
BROKER_TIMEOUT = 1.0


@dataclass(frozen=True)
class BrokerStatus:
    """What the broker itself says: its queue's length and the workers that answer a ping."""

    transport: str
    queue_name: str
    #: Messages waiting in the broker's default queue; None when it could not be told.
    queue_length: int | None
    queue_detail: str = ""
    #: Whether this transport can broadcast a ping to the workers (Redis, RabbitMQ).
    can_ping: bool = False
    #: Node names that answered the ping; None when they were not (or could not be) asked.
    workers: list[str] | None = None
    workers_detail: str = ""


def _default_queue() -> str:
    return getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "") or "celery"


def _transport(url: str) -> str:
    scheme = url.split("://", 1)[0].lower()
    if scheme.startswith("redis") or scheme == "rediss":
        return "redis"
    if scheme in ("amqp", "amqps", "pyamqp"):
        return "amqp"
    return scheme


def _filesystem_length(queue: str) -> int:
    """Message files of ``queue`` in the broker folder (named ``<n>_<id>.<queue>.msg``)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    folder = Path(options["data_folder_in"])
    suffix = f"{queue}.msg"
    with os.scandir(folder) as entries:
        return sum(1 for e in entries if e.name.partition(".")[2] == suffix and e.is_file())


def _ping(connection: Any, timeout: float) -> list[str]:
    """Node names of the workers that answer a broadcast ping within ``timeout`` seconds.

    Celery's own ``control.ping`` publishes through the app's producer pool, a connection to the
    broker the app was started with; this mailbox publishes and listens on ``connection`` alone,
    which the caller has just seen answer (so the publish does not wait on a dead broker).
    """
    from kombu.pidbox import Mailbox

    from portal.celery import app

    conf = app.conf
    mailbox = Mailbox(
        conf.control_exchange, type="fanout", accept=["json"], serializer="json",
        queue_ttl=conf.control_queue_ttl, reply_queue_ttl=conf.control_queue_ttl,
        queue_expires=conf.control_queue_expires,
        reply_queue_expires=conf.control_queue_expires,
    )(connection)  # fmt: skip
    replies = mailbox._broadcast("ping", arguments={}, reply=True, timeout=timeout) or []
    return sorted({node for reply in replies for node in reply})


def _redis_status(url: str, queue: str, timeout: float) -> BrokerStatus:
    import redis
    from kombu import Connection

    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            length = int(client.llen(queue))
        finally:
            client.close()
    except Exception as exc:  # the broker is down or refuses: say so, never fail the page
        return BrokerStatus(
            "redis", queue, None, f"Redis did not answer ({type(exc).__name__}).", can_ping=True,
            workers_detail="Not asked: Redis did not answer.",
        )  # fmt: skip
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 1}
    try:
        with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
            workers = _ping(conn, timeout)
    except Exception as exc:
        return BrokerStatus(
            "redis", queue, length, can_ping=True,
            workers_detail=f"The ping failed ({type(exc).__name__}).",
        )  # fmt: skip
    return BrokerStatus("redis", queue, length, can_ping=True, workers=workers)


def _amqp_status(url: str, queue: str, timeout: float) -> BrokerStatus:
    from kombu import Connection

    options = {"max_retries": 1}
    try:
        with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            channel = conn.channel()
            try:
                _, length, _consumers = channel.queue_declare(queue=queue, passive=True)
                detail = ""
            except conn.channel_errors:
                # Passive declaration of a queue nobody declared yet: nothing was ever queued.
                length, detail = 0, "The queue is not declared yet: nothing was queued so far."
            finally:
                with contextlib.suppress(Exception):  # closing a broken channel is no news
                    channel.close()
            try:
                return BrokerStatus(
                    "amqp", queue, int(length), detail, can_ping=True,
                    workers=_ping(conn, timeout),
                )  # fmt: skip
            except Exception as exc:
                return BrokerStatus(
                    "amqp", queue, int(length), detail, can_ping=True,
                    workers_detail=f"The ping failed ({type(exc).__name__}).",
                )  # fmt: skip
    except Exception as exc:
        return BrokerStatus(
            "amqp", queue, None, f"RabbitMQ did not answer ({type(exc).__name__}).",
            can_ping=True, workers_detail="Not asked: RabbitMQ did not answer.",
        )  # fmt: skip


def broker_status(*, timeout: float = BROKER_TIMEOUT) -> BrokerStatus:
    """Ask the configured broker for its queue's length and which workers are alive.

    Redis: ``LLEN`` of the default queue; RabbitMQ: a passive ``queue_declare``; both then
    broadcast a ping. The filesystem broker's length is its message files; it is never pinged
    (a broadcast there leaves a file per worker that ever ran, dead ones included).
    """
    url = settings.CELERY_BROKER_URL
    transport, queue = _transport(url), _default_queue()
    if transport == "redis":
        return _redis_status(url, queue, timeout)
    if transport == "amqp":
        return _amqp_status(url, queue, timeout)
    if transport == "filesystem":
        no_ping = "The filesystem broker cannot be asked which workers are alive."
        try:
            return BrokerStatus("filesystem", queue, _filesystem_length(queue),
                                workers_detail=no_ping)  # fmt: skip
        except (OSError, KeyError) as exc:
            detail = f"The broker folder cannot be read ({type(exc).__name__})."
            return BrokerStatus("filesystem", queue, None, detail, workers_detail=no_ping)
    return BrokerStatus(
        transport, queue, None, f"The {transport} transport cannot tell its queue's length.",
        workers_detail=f"The {transport} transport cannot be asked which workers are alive.",
    )  # fmt: skip

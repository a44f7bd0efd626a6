"""Start the learner's app inside the app sandbox (run by the runtime's Python, not by the engine).

1. import the server (gunicorn for WSGI, uvicorn for ASGI), then ``[app].entrypoint`` from the
   workspace: a failure prints the learner's traceback (only their frames) and exits with 3;
2. listen on the unix socket the tests connect to;
3. tell the engine "ready" through an inherited pipe;
4. serve: WSGI with gunicorn (one sync worker), ASGI with uvicorn.

The socket is bound here, before the server runs, so early requests wait in the listen backlog.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import sys
import traceback

EXIT_IMPORT_FAILED = 3
EXIT_SERVER_STOPPED = 4
READY_FD = int(os.environ.pop("PATCHWISE_READY_FD", "-1"))
ENTRYPOINT = os.environ.pop("PATCHWISE_ENTRYPOINT", "app:app")
INTERFACE = os.environ.pop("PATCHWISE_INTERFACE", "wsgi")
SOCKET_PATH = os.environ.pop("PATCHWISE_SOCKET", "/run/app/app.sock")
WORKER_TIMEOUT = int(float(os.environ.pop("PATCHWISE_WORKER_TIMEOUT", "30")))


def report(state: bytes) -> None:
    """Tell the engine how far we got: b"S" started (the sandbox works), b"R" ready to serve."""
    if READY_FD >= 0:
        with contextlib.suppress(OSError):
            os.write(READY_FD, state)


def report_ready() -> None:
    report(b"R")
    with contextlib.suppress(OSError):
        os.close(READY_FD)


def learner_traceback(exc: BaseException) -> str:
    """The traceback without this launcher's and importlib's frames: only what the learner wrote."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename != __file__
        and not frame.filename.startswith("<frozen")
        and not frame.filename.endswith("/importlib/__init__.py")
    ]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def load_app(entrypoint: str) -> object:
    module_name, _, attr_path = entrypoint.partition(":")
    target: object = importlib.import_module(module_name)
    for part in attr_path.split("."):
        target = getattr(target, part)
    return target


def listen(path: str) -> socket.socket:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    # Only this user and the test user's group can reach the folder; the socket itself may be open.
    os.chmod(path, 0o666)  # noqa: S103
    sock.listen(128)
    return sock


def serve_wsgi(app: object, sock: socket.socket) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": [f"fd://{sock.fileno()}"],
                "workers": 1,
                "worker_class": "sync",
                "timeout": WORKER_TIMEOUT,
                "graceful_timeout": 1,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "worker_tmp_dir": "/tmp",  # noqa: S108 - the sandbox's own private tmpfs
            }
            for key, value in settings.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> object:
            return app

    report_ready()
    Server().run()


def serve_asgi(app: object, sock: socket.socket) -> None:
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            # A failed lifespan start-up sets should_exit: then the app did not start.
            if not self.should_exit:
                report_ready()

    config = uvicorn.Config(
        app, fd=sock.fileno(), log_level="warning", access_log=False, lifespan="auto"
    )
    Server(config).run()


def main() -> None:
    report(b"S")
    # Files the app writes stay readable by the tests (through app_files).
    os.umask(0o022)
    # The server is imported before the learner's code so that "ready" follows the bind closely.
    if INTERFACE == "asgi":
        import uvicorn  # noqa: F401
    else:
        import gunicorn.app.base  # noqa: F401
    sys.path.insert(0, os.getcwd())
    try:
        app = load_app(ENTRYPOINT)
    except BaseException as exc:  # whatever the learner's import raised, SystemExit included
        sys.stderr.write(learner_traceback(exc))
        sys.stderr.flush()
        os._exit(EXIT_IMPORT_FAILED)
    sock = listen(SOCKET_PATH)
    if INTERFACE == "asgi":
        serve_asgi(app, sock)
    else:
        serve_wsgi(app, sock)
    sys.exit(EXIT_SERVER_STOPPED)


if __name__ == "__main__":
    main()

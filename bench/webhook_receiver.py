"""A webhook receiver on loopback for the tests and bench/webhooks.py: a real HTTP server
in a thread that records every request, answers with the status it is told, and can be
shut down and started again on the same port (an outage)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status = 204
        # Shut down (an outage in the middle of a run) once this many requests were taken.
        self.stop_after: int | None = None
        self.port = 0
        self._changed = threading.Condition()
        self._stop_lock = threading.Lock()
        self.stopping: threading.Thread | None = None
        self.closing = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        """Listen, on the port it had before if it had one."""
        receiver = self
        self.closing = False

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                # Going down: what still gets in before the socket closes fails too.
                status = 503 if receiver.closing else receiver.status
                if 200 <= status < 300:
                    with receiver._changed:
                        receiver.requests.append(
                            Received(self.path, dict(self.headers.items()), body)
                        )
                        receiver._changed.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                self.wfile.flush()
                if (
                    receiver.stop_after is not None
                    and len(receiver.requests) >= receiver.stop_after
                ):
                    receiver.stop_after = None
                    receiver.stopping = threading.Thread(target=receiver.stop)
                    receiver.stopping.start()

            def log_message(self, *args: object) -> None:
                pass  # quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and close its socket: connections are refused now."""
        with self._stop_lock:
            if self._server is not None:
                self._server.shutdown()
                self._server.server_close()
                self._thread.join()
                self._server = None

    def is_up(self) -> bool:
        return self._server is not None

    def wait_for(self, condition: Callable[[list[Received]], bool], timeout: float = 10) -> bool:
        """Wait until `condition(requests)` holds (recorded requests are only those it
        answered 2xx); whether it did within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.requests):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

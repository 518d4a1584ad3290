"""A fault-injecting HTTP proxy between workstations and the county, on loopback.

Each request a workstation sends through it is forwarded to the county as it is, or suffers a
:class:`Fault`: dropped before the county sees it, its answer dropped after the county committed,
sent twice, delayed, overtaken by the next request, its answer cut off mid-body by a reset, a
429 / 500 / 503 answered instead, or held without an answer until the client gives up.

What happens to the next requests is scripted (:meth:`FaultProxy.next`, per path) or chosen by a
function (:attr:`FaultProxy.chooser`, the randomized runs' schedule); every request and what was
done to it is logged (:attr:`FaultProxy.log`). Plain HTTP/1.1 with a Content-Length body (what
httpx and uvicorn speak here); one request per connection (the proxy asks the county to close
it, and the workstation's client follows). It runs its own event loop on a thread.
"""

from __future__ import annotations

import asyncio
import enum
import inspect
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class Fault(enum.Enum):
    PASS = "pass"
    DROP_REQUEST = "drop-request"  # the connection closes; the county never sees it
    DROP_RESPONSE = "drop-response"  # the county commits; its answer never arrives
    DUPLICATE = "duplicate"  # the county gets it twice; the client gets the second answer
    DELAY = "delay"  # forwarded after a pause
    REORDER = "reorder"  # held until the next request has been forwarded (or a while)
    RESET_MID_BODY = "reset-mid-body"  # the county commits; half its answer, then a reset
    ANSWER_429 = "429"  # answered by the "county" at once, not forwarded
    ANSWER_500 = "500"
    ANSWER_503 = "503"
    BLACKHOLE = "blackhole"  # no answer, ever: the client's timeout ends it


FORWARDED = frozenset(
    {Fault.PASS, Fault.DROP_RESPONSE, Fault.DUPLICATE, Fault.DELAY, Fault.REORDER}
    | {Fault.RESET_MID_BODY}
)  # the county sees (and may commit) these


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query
    head: bytes  # request line and headers, as received
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass(frozen=True)
class Logged:
    method: str
    target: str
    fault: Fault
    status: int | None  # the county's answer, when it was asked


@dataclass
class _Scripted:
    path: str  # prefix; "" matches every request
    faults: list[Fault]


@dataclass
class FaultProxy:
    """``with FaultProxy("http://127.0.0.1:8700") as proxy:`` then point the workstation at
    ``proxy.url``."""

    upstream: str
    delay_s: float = 0.3
    hold_s: float = 1.0  # REORDER: how long a request waits for one to overtake it
    chooser: Callable[[Request], Fault] | None = None
    log: list[Logged] = field(default_factory=list)
    _script: list[_Scripted] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"the proxy forwards to http://host:port, not {self.upstream}")
        self._host, self._port = parts.hostname, parts.port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy")
        self._server: asyncio.Server | None = None
        self._arrived = 0  # requests seen so far (REORDER waits for the count to move)
        self._moved: asyncio.Condition | None = None
        self.port = 0
        self.waiting = 0  # requests held back (REORDER) right now
        # Every connection open at either side, held here until its handler closes it: the
        # proxy's stop aborts them all, so no handler waits on a connection nobody will close.
        self._open: set[asyncio.StreamWriter] = set()

    # --- the script ---------------------------------------------------------------------------

    def next(self, *faults: Fault, path: str = "") -> None:
        """The next requests (to paths starting with ``path``) suffer these faults, in order;
        after them, requests pass (or go to :attr:`chooser`)."""
        with self._lock:
            self._script.append(_Scripted(path, list(faults)))

    def clear(self) -> None:
        """Heal: no more scripted faults, no chooser."""
        with self._lock:
            self._script.clear()
            self.chooser = None

    def faults_done(self) -> list[Logged]:
        return [entry for entry in self.log if entry.fault is not Fault.PASS]

    def _fault_for(self, request: Request) -> Fault:
        with self._lock:
            for scripted in self._script:
                if scripted.faults and request.path.startswith(scripted.path):
                    return scripted.faults.pop(0)
            chooser = self.chooser
        return chooser(request) if chooser is not None else Fault.PASS

    # --- running ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.run_until_complete(self._drain())  # a connection accepted as it stopped
        self._loop.close()

    async def _start(self) -> None:
        self._moved = asyncio.Condition()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        """Stop accepting, let the connections already accepted reach their handlers, then
        close the server and end the handlers. (Closing at once races Python 3.11's accept: a
        connection accepted in the same turn meets a closed server, and its socket is left
        open.)"""
        assert self._server is not None
        loop = asyncio.get_running_loop()
        for sock in self._server.sockets:
            loop.remove_reader(sock.fileno())
        await asyncio.sleep(0.05)
        self._server.close()
        await self._drain()

    async def _drain(self) -> None:
        """End every connection's handler (held requests: blackhole, reorder), each through its
        ``finally`` (the connection closed). Every open connection is aborted, so a handler
        reading or writing one wakes up and ends by itself; a handler not yet started is let
        start (cancelled before its first step it would never reach its ``finally``, and its
        socket would be left open: a ResourceWarning, which fails the test); one that has
        started and still waits (a delay, a reorder's wait) is cancelled. Passes go on until
        none is left, however slow the machine (a pass count ran out on a loaded CI machine and
        left handlers pending), up to a deadline that fails loudly."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while True:
            await asyncio.sleep(0.01)  # accepted connections reach their handlers
            for writer in list(self._open):
                writer.transport.abort()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if not tasks:
                return
            if loop.time() > deadline:
                raise RuntimeError(f"the fault proxy's handlers did not end: {tasks}")
            for task in tasks:
                if inspect.getcoroutinestate(task.get_coro()) != inspect.CORO_CREATED:  # type: ignore[arg-type]
                    task.cancel()
            await asyncio.wait(tasks, timeout=0.5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            request = await _read_request(reader)
            if request is None:
                return
            await self._handle(request, self._fault_for(request), reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self._open.discard(writer)

    async def _handle(
        self,
        request: Request,
        fault: Fault,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        """Each request is logged before the client can hear anything of it (its answer, a
        close, a reset), so a test that reads the log after the round sees it."""

        def note(status: int | None) -> None:
            self.log.append(Logged(request.method, request.target, fault, status))

        await self._count_arrival()
        if fault is Fault.DROP_REQUEST:
            note(None)
            return
        if fault is Fault.BLACKHOLE:
            note(None)
            await reader.read()  # until the client gives up and closes
            return
        if fault in (Fault.ANSWER_429, Fault.ANSWER_500, Fault.ANSWER_503):
            note(None)
            writer.write(_answer(int(fault.value)))
            await writer.drain()
            return
        if fault is Fault.DELAY:
            await asyncio.sleep(self.delay_s)
        if fault is Fault.REORDER:
            await self._overtaken()
        answer = await self._forward(request)
        if fault is Fault.DUPLICATE:
            answer = await self._forward(request)
        note(_status(answer))
        if fault is Fault.DROP_RESPONSE:
            return
        if fault is Fault.RESET_MID_BODY:
            writer.write(answer[: max(1, len(answer) // 2)])
            await writer.drain()
            _reset(writer)
            return
        writer.write(answer)
        await writer.drain()

    async def _count_arrival(self) -> None:
        assert self._moved is not None
        async with self._moved:
            self._arrived += 1
            self._moved.notify_all()

    async def _overtaken(self) -> None:
        """Wait until another request has arrived (it goes first), or ``hold_s``."""
        assert self._moved is not None
        async with self._moved:
            seen = self._arrived
            self.waiting += 1
            try:
                await asyncio.wait_for(
                    self._moved.wait_for(lambda: self._arrived > seen), self.hold_s
                )
            except TimeoutError:
                return
            finally:
                self.waiting -= 1
        await asyncio.sleep(0.05)  # the overtaking request is forwarded first

    async def _forward(self, request: Request) -> bytes:
        reader, writer = await asyncio.open_connection(self._host, self._port)
        self._open.add(writer)
        try:
            writer.write(_closing(request.head) + request.body)
            await writer.drain()
            return await reader.read()  # the county closes after its answer
        finally:
            writer.close()
            self._open.discard(writer)


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return Request(method, target, head, body)


def _closing(head: bytes) -> bytes:
    """The request's head asking the county to close the connection after its answer."""
    lines = [
        line
        for line in head.split(b"\r\n")
        if line and not line.lower().startswith((b"connection:", b"keep-alive:"))
    ]
    return b"\r\n".join([*lines, b"Connection: close", b"", b""])


def _status(answer: bytes) -> int | None:
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def _answer(status: int) -> bytes:
    reason = {429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
    body = b'{"detail":"fault proxy"}'
    return (
        f"HTTP/1.1 {status} {reason[status]}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nretry-after: 1\r\nconnection: close\r\n\r\n"
    ).encode("latin-1") + body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (RST), not an orderly FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()

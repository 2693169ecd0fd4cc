"""A typst compile server, started on demand, so that a one-off `report render` compiles the PDF warm.

typst memoises layout process-wide: once a process has compiled a book, compiling it again after a prose edit
takes a fraction of the time, even through a new ``typst.Compiler`` for another folder, and gives the same
bytes as a cold compile. A render is a new process each time, so it cannot keep that memory; this server
does. It is opt-in (``report: pdf-server: MINUTES`` in ``_quarto.yml``): the first render that wants it starts
it, later renders send it their compile requests over a Unix socket, and it ends itself after MINUTES without
a request. One server per user, interpreter and typst version serves every project of that user.

Protocol: one JSON request per connection, one JSON reply (``{"ok": true}`` or ``{"error": text}``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["compile_remotely", "serve", "socket_path", "stop_server"]

log = logging.getLogger("report")
START_TIMEOUT = 10.0  # seconds a starting server may take to listen


def socket_path() -> Path:
    import typst

    identity = f"{sys.executable}\0{getattr(typst, '__version__', '')}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"report-typst-{os.getuid()}-{digest}.sock"


def _exchange(path: Path, request: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
        connection.shutdown(socket.SHUT_WR)
        reply = b"".join(iter(lambda: connection.recv(65536), b""))
    return json.loads(reply.decode("utf-8"))


def _start(path: Path, idle_seconds: float) -> None:
    subprocess.Popen([sys.executable, "-m", "report.outputs.typst_server", str(path), str(idle_seconds)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, cwd="/")  # its own session: Ctrl-C in a render leaves it alone
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            if _exchange(path, {"ping": True}, timeout=1.0).get("ok"):
                return
        except (OSError, ValueError):
            time.sleep(0.05)


def compile_remotely(typ_file: Path, output: Path, root: Path, timestamp: int, standards: list[str],
                     font_paths: list[str], idle_seconds: float) -> bool:
    """Have the server compile ``typ_file`` to ``output``; False when no server could be reached (compile
    locally then). A typst error comes back as a ReportError, as from a local compile."""
    from report.errors import ReportError

    path = socket_path()
    request = {"typ": str(typ_file), "root": str(root), "output": str(output), "timestamp": timestamp,
               "standards": standards, "font_paths": font_paths, "idle": idle_seconds}
    for attempt in range(2):
        try:
            reply = _exchange(path, request)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if attempt == 1:
                return False
            log.info("%-8s starting the typst compile server (report: pdf-server)", "pdf")
            _start(path, idle_seconds)
        except (OSError, ValueError) as error:
            log.warning("typst compile server unusable (%s); compiling here", error)
            return False
    else:
        return False
    if "diagnostic" in reply:
        from report.outputs.typst_errors import TypstDiagnostic, TypstFailure

        raise TypstFailure(TypstDiagnostic.from_json(reply["diagnostic"]))
    if "error" in reply:
        raise ReportError(f"typst could not build the PDF: {reply['error']}", path=typ_file)
    log.info("%-8s compiled by the typst compile server (pid %s)", "pdf", reply.get("pid"))
    return True


def stop_server() -> bool:
    """Ask a running server to end now; False if none was running."""
    try:
        return bool(_exchange(socket_path(), {"stop": True}, timeout=5.0).get("ok"))
    except (OSError, ValueError):
        return False


def _listen(path: Path) -> socket.socket | None:
    """Bind the socket; None when another server already listens there."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError:
        try:
            _exchange(path, {"ping": True}, timeout=2.0)
            server.close()
            return None  # a live server: this one is not needed
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # left by a server that died
            server.bind(str(path))
    os.chmod(path, 0o600)  # the user's own compiles only
    server.listen(16)
    return server


def serve(path: Path, idle_seconds: float) -> None:
    import typst

    server = _listen(path)
    if server is None:
        return
    compilers: dict[tuple[str, str, tuple[str, ...]], Any] = {}
    idle = idle_seconds
    unlinked = False
    try:
        while True:
            server.settimeout(idle)
            try:
                connection, _address = server.accept()
            except socket.timeout:
                return  # idle long enough
            with connection:
                connection.settimeout(60)
                try:
                    request = json.loads(b"".join(iter(lambda: connection.recv(65536), b"")).decode("utf-8"))
                except (OSError, ValueError):
                    continue
                if request.get("stop"):
                    path.unlink(missing_ok=True)  # gone before the reply, so the caller sees it gone
                    unlinked = True
                    connection.sendall(json.dumps({"ok": True, "pid": os.getpid()}).encode())
                    return
                if request.get("ping"):
                    connection.sendall(json.dumps({"ok": True, "pid": os.getpid()}).encode())
                    continue
                idle = float(request.get("idle", idle))
                connection.sendall(json.dumps(_compile(typst, compilers, request)).encode("utf-8"))
    finally:
        server.close()
        if not unlinked:
            path.unlink(missing_ok=True)


def _compile(typst, compilers: dict, request: dict[str, Any]) -> dict[str, Any]:
    from report.outputs._typst_packages import PACKAGE_PATH

    key = (request["typ"], request["root"], tuple(request["font_paths"]))
    try:
        if key not in compilers:
            compilers[key] = typst.Compiler(request["typ"], root=request["root"], font_paths=request["font_paths"],
                                            ignore_system_fonts=True, package_path=PACKAGE_PATH)
        pdf = compilers[key].compile(pdf_standards=request["standards"], timestamp=request["timestamp"])
    except Exception as error:  # typst's own error types; the text holds the source position
        from report.outputs.typst_errors import TypstDiagnostic

        compilers.pop(key, None)
        return {"error": str(error), "diagnostic": TypstDiagnostic.from_exception(error).to_json(), "pid": os.getpid()}
    output = Path(request["output"])
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary = output.with_name(f".{output.name}.server-{os.getpid()}")
        temporary.write_bytes(pdf)
        os.replace(temporary, output)
    except OSError as error:
        return {"error": f"writing {output}: {error}", "pid": os.getpid()}
    return {"ok": True, "pid": os.getpid()}


if __name__ == "__main__":
    serve(Path(sys.argv[1]), float(sys.argv[2]))

"""A kernel factory: imports ipykernel and the heavy packages once, then forks one fresh kernel per document.

Started by report.execution._kernels as ``python -c 'from report.execution._kernel_factory import main; main()' SOCKET PRELOAD_JSON``.
Each request on the Unix socket names a connection file and a working folder;
the factory forks, and the child becomes an ordinary ipykernel with that
connection file. The child starts with the packages already in memory but
with nothing of any document: namespaces are created after the fork, and no
document code ever runs in the factory. Children are reaped by the factory,
which writes each one's exit code to ``<connection file>.exit``, and they
leave the factory's session, so stopping the factory does not stop them; each
one is stopped by the engine after its document, and exits on its own when
the engine's process disappears (ipykernel's parent polling).

Given a third argument, a connection file, the factory first is a kernel itself (report.execution.shared_prefix):
the engine runs a document's first cells in it and shuts it down; the factory then forks kernels that start
with that kernel's namespace and modules (the same IPython shell, bound to a new kernel), so cells that every
copy shares run once.

POSIX only (fork); elsewhere the engine starts kernels the ordinary way.
"""

import json
import os
import random
import signal
import socket
import sys
import threading


def _watch_parent() -> None:
    # SIGCHLD must reach the main thread: its accept() is then interrupted and the reaper runs at once,
    # instead of leaving an ended kernel a zombie that still looks alive.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    # The engine holds our stdin; end of file means it is gone. os.read, not sys.stdin: a thread blocked
    # inside a buffered reader would leave its lock held in every forked child.
    while os.read(0, 1024):
        pass
    os._exit(0)


def _preload(names: list[str]) -> None:
    import importlib

    # As ipykernel's launcher: the working folder is not on the path while the kernel machinery loads, so a
    # local file cannot shadow an installed package here.
    saved = list(sys.path)
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]
    try:
        import ipykernel.kernelapp  # noqa: F401  (the kernel itself)

        for name in names:
            try:
                importlib.import_module(name)
            except Exception:  # it fails again, with its real error, in the document that imports it
                pass
    finally:
        sys.path[:] = saved


def _become_kernel(connection_file: str, cwd: str) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the document's own subprocesses must be waitable
    os.setsid()
    os.chdir(cwd)
    _run_kernel(connection_file)


def _run_kernel(connection_file: str):
    """Be an ipykernel on ``connection_file`` until it is shut down; the app is returned, not yet closed.

    In a process where a kernel ran before (the shared first cells), that kernel's shell is kept with its
    namespace, execution count and hooks, and bound to the new kernel's sockets.
    """
    import asyncio

    from ipykernel.ipkernel import IPythonKernel
    from ipykernel.kernelapp import IPKernelApp

    reused = IPKernelApp.initialized()
    if not reused:
        random.seed()  # a fresh process would not share its random state with its siblings
    else:
        IPKernelApp.clear_instance()
        IPythonKernel.clear_instance()
        asyncio.set_event_loop(asyncio.new_event_loop())  # the ended kernel's loop still lists its closed sockets
    app = IPKernelApp.instance()
    # Parent polling: the kernel exits when the factory does (the factory exits with the engine).
    app.initialize(["-f", connection_file, "--HistoryManager.hist_file=:memory:",
                    f"--IPKernelApp.parent_handle={os.getppid()}"])
    if reused:
        app.kernel.shell.kernel = app.kernel
        app.kernel.shell.parent = app.kernel
    app.start()
    return app


def main() -> None:
    socket_path, preload = sys.argv[1], json.loads(sys.argv[2])
    threading.Thread(target=_watch_parent, daemon=True).start()
    # Kernels normally set this when they start; packages imported here would otherwise miss it.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    _preload(preload)
    if len(sys.argv) > 3:  # first a kernel itself, for the cells every forked kernel shares
        # The kernel sends what is written to file descriptors 1 and 2 to its client; the factory's own
        # "ready" line, and its forked kernels, need the engine's pipes back once it has ended.
        saved = os.dup(1), os.dup(2)
        _run_kernel(sys.argv[3]).close()
        for descriptor, copy in zip((1, 2), saved):
            os.dup2(copy, descriptor)
            os.close(copy)
    connection_files: dict[int, str] = {}
    ended_early: dict[int, int] = {}

    def record_exit(pid: int, code: int) -> None:
        try:
            with open(connection_files.pop(pid) + ".exit", "w", encoding="utf-8") as record:
                record.write(json.dumps({"pid": pid, "code": code}))
        except OSError:
            return  # the engine already removed the kernel's folder: nobody is waiting for this

    def reap(_signum, _frame) -> None:
        # Reap every ended kernel and leave its exit code next to its connection file, so that the engine can
        # say why a kernel died (an exit code, or the signal: SIGKILL is what the out-of-memory killer sends).
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            code = os.waitstatus_to_exitcode(status)
            if pid in connection_files:
                record_exit(pid, code)
            else:
                ended_early[pid] = code

    signal.signal(signal.SIGCHLD, reap)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(16)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        connection, _address = server.accept()
        with connection:
            request = json.loads(connection.makefile("r", encoding="utf-8").readline())
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    server.close()
                    connection.close()
                    _become_kernel(request["connection_file"], request["cwd"])
                    code = 0
                finally:
                    os._exit(code)
            connection_files[pid] = request["connection_file"]
            if pid in ended_early:  # it ended before it was recorded
                record_exit(pid, ended_early.pop(pid))
            connection.sendall(json.dumps({"pid": pid}).encode("utf-8") + b"\n")

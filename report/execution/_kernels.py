"""Kernels started ahead of need, so that documents do not wait for kernel start-up.

Every document still gets a fresh kernel process and a clean namespace, as
in Quarto: a kernel is used for one document and then killed. What is paid
once, or ahead of time while other documents run:

- the kernel machinery (ipykernel, IPython) and the installed packages the
  documents import are imported once, in a kernel factory (report.execution._kernel_factory),
  which forks a new kernel process per document; importing a package only
  fills ``sys.modules``, the document's namespace stays empty until its own
  cells run;
- kernels are started and given the engine's hidden set-up before a
  document needs them.

Where fork is unavailable, or the factory fails to start, kernels are
started the ordinary way (a new Python process each), still ahead of need.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.execution.isolation import merged_pythonpath
from report.execution.kernelspecs import NATIVE_KERNEL

log = logging.getLogger("report")

__all__ = ["ForkServer", "KernelPool", "PreparedKernel", "end_first_kernel", "exit_cause", "kernel_environment",
           "start_first_kernel"]

START_TIMEOUT = 120


# The render's timestamp is not the kernels' business: matplotlib would stamp it into every SVG, so a new
# commit would change every figure and re-execute every document that draws one.
HIDDEN_FROM_KERNELS = frozenset({"SOURCE_DATE_EPOCH"})


def kernel_environment(extra: dict[str, str]) -> dict[str, str]:
    """The environment a document's kernel sees: the render's own, less what kernels must not read, plus ``extra``.

    A ``PYTHONPATH`` in ``extra`` (the project root, report.execution.isolation) comes before the user's own.
    """
    environment = {**{name: value for name, value in os.environ.items() if name not in HIDDEN_FROM_KERNELS}, **extra}
    if "PYTHONPATH" in extra:
        environment["PYTHONPATH"] = merged_pythonpath(extra["PYTHONPATH"], os.environ.get("PYTHONPATH"))
    return environment


@dataclass
class PreparedKernel:
    manager: Any  # jupyter_client AsyncKernelManager with a running, set-up kernel
    folder: Path  # the pool's private folder: IPC sockets, connection files, the matplotlibrc
    launch_env: dict[str, str]
    own_folder: Path  # this kernel's part of it, removed when the kernel stops


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_forked_manager_class = None


def forked_manager_class():
    """A kernel manager for a kernel forked by the factory: not our child, so it is watched and stopped by pid."""
    global _forked_manager_class
    if _forked_manager_class is None:
        from jupyter_client.manager import AsyncKernelManager

        class ForkedKernelManager(AsyncKernelManager):
            forked_pid: int | None = None

            @property
            def has_kernel(self) -> bool:
                return self.forked_pid is not None and _alive(self.forked_pid)

            async def is_alive(self) -> bool:
                return self.has_kernel

            _async_is_alive = is_alive  # what kernel clients ask

            async def interrupt_kernel(self) -> None:
                if self.has_kernel:
                    os.kill(self.forked_pid, signal.SIGINT)

            async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
                if self.has_kernel:
                    os.kill(self.forked_pid, signal.SIGKILL)
                self.forked_pid = None
                self.cleanup_connection_file()

        _forked_manager_class = ForkedKernelManager
    return _forked_manager_class


class ForkServer:
    """A running kernel factory, known by its socket (possibly started by another process)."""

    def __init__(self, socket_path: str):
        self.socket_path = socket_path

    def ready(self) -> bool:
        return True

    def fork(self, connection_file: str, cwd: Path) -> int:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(self.socket_path)
            client.sendall(json.dumps({"connection_file": connection_file, "cwd": str(cwd)}).encode() + b"\n")
            reply = client.makefile("r", encoding="utf-8").readline()
        return int(json.loads(reply)["pid"])

    def close(self) -> None:
        """Its owner stops it."""


class KernelFactory(ForkServer):
    """The fork server of report.execution._kernel_factory, started once per pool."""

    def __init__(self, folder: Path, env: dict[str, str], cwd: Path, preload: tuple[str, ...],
                 first_kernel: str | None = None):
        """``first_kernel``: a connection file on which the factory is a kernel itself before it forks any
        (report.execution.shared_prefix); it forks once that kernel is shut down."""
        self.socket_path = str(folder / "factory.sock")
        self.lock = threading.Lock()
        self.state: bool | None = None  # None: starting; True: ready; False: failed
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from report.execution._kernel_factory import main; main()", self.socket_path,
             json.dumps(list(preload)), *([first_kernel] if first_kernel else [])],
            cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def ready(self) -> bool:
        with self.lock:
            while self.state is None:
                line = self.process.stdout.readline()  # a kernel the factory was may have printed before
                if line.strip() == b"ready" or not line:
                    self.state = bool(line)
                    if not self.state:
                        log.debug("kernel factory did not start; starting kernels one by one")
            return self.state

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class KernelPool:
    """Start kernels in the background; hand each out once; kill it after use.

    ``expected`` is how many kernels the render needs in all; the pool never
    starts more. At most ``ahead`` kernels wait ready beyond those in use, so
    memory stays bounded on books with many documents.
    """

    def __init__(self, env: dict[str, str], cwd: Path, setup_code: str, rc_text: str, preload: tuple[str, ...],
                 expected: int, ahead: int, fork: bool = True, kernel_name: str = NATIVE_KERNEL,
                 factory: "ForkServer | None" = None):
        """``factory``: fork every kernel from this factory, which the caller owns (and closes)."""
        self.cwd = cwd
        self.kernel_name = kernel_name
        self.setup_code = setup_code
        self.preload = preload
        self.folder = Path(tempfile.mkdtemp(prefix="report-kernels-"))
        # Read by matplotlib whenever it is first imported, however late (plotnine imports it lazily).
        rc_file = self.folder / "matplotlibrc"
        rc_file.write_text(rc_text, encoding="utf-8")
        self.launch_env = kernel_environment({**env, "MATPLOTLIBRC": str(rc_file)})
        self.counter = 0
        self.factory = factory
        self.own_factory = factory is None
        # The factory forks the engine's own interpreter: only for the native kernel, never a named kernelspec.
        if factory is None and fork and hasattr(os, "fork") and expected > 0 and kernel_name == NATIVE_KERNEL:
            try:
                self.factory = KernelFactory(self.folder, self.launch_env, cwd, preload)
            except OSError as error:
                log.debug("kernel factory: %s", error)
        self.expected = expected
        self.ahead = max(1, ahead)
        self.started = 0
        self.lock = threading.Lock()
        self.waiting: list[Future] = []
        self.closed = False
        self.executor = ThreadPoolExecutor(max_workers=self.ahead + 2, thread_name_prefix="report-kernel")
        self.stoppers: list[Future] = []
        self.in_use: list[PreparedKernel] = []
        self._top_up()

    def _top_up(self) -> None:
        with self.lock:
            while not self.closed and self.started < self.expected and len(self.waiting) < self.ahead:
                self.started += 1
                self.waiting.append(self.executor.submit(self._start))

    def acquire(self) -> PreparedKernel:
        with self.lock:
            if not self.waiting:
                self.started += 1
                self.expected = max(self.expected, self.started)
                self.waiting.append(self.executor.submit(self._start))
            future = self.waiting.pop(0)
        self._top_up()
        kernel = future.result()
        with self.lock:
            self.in_use.append(kernel)
        return kernel

    def release(self, kernel: PreparedKernel) -> None:
        """Kill a used kernel in the background; the next document need not wait for it."""
        with self.lock:
            if kernel in self.in_use:
                self.in_use.remove(kernel)
            self.stoppers.append(self.executor.submit(_stop, kernel))

    def abort(self) -> None:
        """Kill the kernels that are running documents (on Ctrl-C): their cells stop at once."""
        with self.lock:
            running = list(self.in_use)
        for kernel in running:
            pid = _kernel_pid(kernel)
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    def close(self) -> None:
        with self.lock:
            self.closed = True
            waiting, self.waiting = self.waiting, []
        for future in waiting:
            try:
                kernel = future.result()
            except Exception:  # a kernel that failed to start has nothing to stop
                continue
            _stop(kernel)
        for future in self.stoppers:
            future.result()
        self.executor.shutdown(wait=True)
        if self.factory is not None and self.own_factory:
            self.factory.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _start(self) -> PreparedKernel:
        return asyncio.run(self._async_start())

    async def _async_start(self) -> PreparedKernel:
        from jupyter_client.manager import AsyncKernelManager
        from traitlets.config import Config

        with self.lock:
            self.counter += 1
            own_folder = self.folder / f"kernel-{self.counter}"
        own_folder.mkdir()
        # IPC sockets in a private folder: no TCP ports, and no plain-text transport warning from ipykernel.
        config = Config({"KernelManager": {"transport": "ipc", "ip": str(own_folder / "kernel")}})
        forked = self.factory is not None and self.factory.ready()
        manager = (forked_manager_class() if forked else AsyncKernelManager)(kernel_name=self.kernel_name,
                                                                             config=config)
        kernel = PreparedKernel(manager=manager, folder=self.folder, launch_env=self.launch_env, own_folder=own_folder)
        try:
            if forked:
                manager.connection_file = str(own_folder / "connection.json")
                manager.write_connection_file()
                manager.forked_pid = await asyncio.get_running_loop().run_in_executor(
                    None, self.factory.fork, manager.connection_file, self.cwd)
                setup = self.setup_code
            else:
                await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                           env=self.launch_env, cwd=str(self.cwd))
                setup = self.setup_code + _preload_code(self.preload)
            await _set_up(manager, setup)
        except BaseException:
            await _async_stop(kernel)
            raise
        return kernel


async def _set_up(manager: Any, code: str) -> None:
    """Wait for a started kernel and run the engine's hidden set-up in it."""
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=START_TIMEOUT)
        reply = await client.execute_interactive(code, silent=True, store_history=False, timeout=START_TIMEOUT)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()


def start_first_kernel(folder: Path, env: dict[str, str], cwd: Path, setup_code: str, rc_text: str,
                       preload: tuple[str, ...]) -> tuple[PreparedKernel, KernelFactory]:
    """A kernel factory that is a kernel itself first (report.execution._kernel_factory): that kernel, set up,
    and the factory, which forks copies of it once end_first_kernel() shut it down. ``folder`` holds its files
    and must outlive the copies."""
    from traitlets.config import Config

    rc_file = folder / "matplotlibrc"
    rc_file.write_text(rc_text, encoding="utf-8")
    launch_env = kernel_environment({**env, "MATPLOTLIBRC": str(rc_file)})
    own_folder = folder / "kernel-0"
    own_folder.mkdir()
    config = Config({"KernelManager": {"transport": "ipc", "ip": str(own_folder / "kernel")}})
    manager = forked_manager_class()(kernel_name=NATIVE_KERNEL, config=config)
    manager.connection_file = str(own_folder / "connection.json")
    manager.write_connection_file()
    factory = KernelFactory(folder, launch_env, cwd, preload, first_kernel=manager.connection_file)
    manager.forked_pid = factory.process.pid
    try:
        asyncio.run(_set_up(manager, setup_code))
    except BaseException:
        factory.process.kill()
        factory.close()
        raise
    return PreparedKernel(manager=manager, folder=folder, launch_env=launch_env, own_folder=own_folder), factory


def end_first_kernel(kernel: PreparedKernel, factory: KernelFactory, last_code: str) -> bool:
    """Run ``last_code`` in the factory's own kernel, shut that kernel down; whether the factory now forks."""
    async def shut_down() -> None:
        client = kernel.manager.client()
        client.start_channels()
        try:
            reply = await client.execute_interactive(last_code, silent=True, store_history=False,
                                                     timeout=START_TIMEOUT)
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"kernel hand-over failed: {reply['content'].get('evalue')}")
            client.shutdown()
        finally:
            client.stop_channels()

    asyncio.run(shut_down())
    return factory.ready()


def exit_cause(kernel: PreparedKernel, wait: float = 3.0) -> str:
    """Why a kernel process ended, for the message of a dead kernel: its exit code or the signal that killed it.

    A forked kernel is reaped by the factory, which leaves its wait status next to the connection file
    (see report.execution._kernel_factory); a kernel started the ordinary way is our child.
    """
    status = _exit_status(kernel, wait)
    if status is None:
        return "the kernel process ended and its exit status is unknown"
    if status < 0:
        number = -status
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if number == signal.SIGKILL:
            return (f"it was killed by {name}; the system's out-of-memory killer sends that signal, so the likely "
                    "cause is that the cell used more memory than is available")
        return f"it was killed by {name}"
    if status == 0:
        return "it exited with code 0 (the cell ended the process, e.g. with sys.exit or os._exit)"
    return f"it exited with code {status} (the cell, or a library it called, ended the process, e.g. with os._exit)"


def kill_kernel_process(manager: Any) -> None:
    """End a running kernel at once (SIGKILL), whichever way it was started."""
    pid = getattr(manager, "forked_pid", None)
    if pid is None:
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        pid = getattr(process, "pid", None)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            log.debug("kernel %s already ended", pid)


def _exit_status(kernel: PreparedKernel, wait: float) -> int | None:
    """The exit code, or minus the number of the signal that killed the kernel; None if it cannot be learnt."""
    manager = kernel.manager
    deadline = time.monotonic() + wait
    if hasattr(manager, "forked_pid"):  # forked by the factory, which records the exit code
        record = Path(manager.connection_file + ".exit")
        while time.monotonic() < deadline:
            try:
                return int(json.loads(record.read_text(encoding="utf-8"))["code"])
            except FileNotFoundError:
                time.sleep(0.05)
            except (OSError, ValueError, KeyError, TypeError) as error:
                log.debug("unreadable exit record %s: %s", record, error)
                return None
        return None
    process = getattr(getattr(manager, "provisioner", None), "process", None)
    if process is None:
        return None
    try:
        return process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        return None


def _kernel_pid(kernel: PreparedKernel) -> int | None:
    manager = kernel.manager
    if getattr(manager, "forked_pid", None):
        return manager.forked_pid
    process = getattr(getattr(manager, "provisioner", None), "process", None)
    return getattr(process, "pid", None)


def _preload_code(names: tuple[str, ...]) -> str:
    if not names:
        return ""
    # Inside a function so that no name lands in the document's namespace; a package that fails
    # to import here fails again, with its real error, in the document that imports it.
    return ("\ndef __report_preload(names):\n"
            "    import importlib\n"
            "    for name in names:\n"
            "        try:\n"
            "            importlib.import_module(name)\n"
            "        except Exception:\n"
            "            pass\n"
            f"__report_preload({list(names)!r})\n"
            "del __report_preload\n")


async def _async_stop(kernel: PreparedKernel) -> None:
    try:
        if kernel.manager.has_kernel:
            await kernel.manager.shutdown_kernel(now=True)
    except Exception as error:  # already gone: nothing left to stop
        log.debug("stopping kernel: %s", error)
    finally:
        shutil.rmtree(kernel.own_folder, ignore_errors=True)


def _stop(kernel: PreparedKernel) -> None:
    asyncio.run(_async_stop(kernel))

"""Kernels started ahead of need, so that documents do not wait for kernel start-up.

Every document still gets a fresh kernel process and a clean namespace, as
in Quarto: a kernel is used for one document and then killed. What is paid
ahead of time, while the previous documents run or the engine reads the
sources, is the process start, the engine's hidden set-up, and importing the
third-party packages the book's documents imported the last time they ran
(learned by the execution cache; see report.cache). Importing a package only
fills ``sys.modules``; the document's namespace stays empty until its own
cells run.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("report")

__all__ = ["KernelPool", "PreparedKernel"]

START_TIMEOUT = 120


@dataclass
class PreparedKernel:
    manager: Any  # jupyter_client AsyncKernelManager with a running, set-up kernel
    folder: Path  # private folder: IPC sockets and the matplotlibrc
    launch_env: dict[str, str]


class KernelPool:
    """Start kernels in the background; hand each out once; kill it after use.

    ``expected`` is how many kernels the render needs in all; the pool never
    starts more. At most ``ahead`` kernels wait ready beyond those in use, so
    memory stays bounded on books with many documents.
    """

    def __init__(self, env: dict[str, str], cwd: Path, setup_code: str, rc_text: str, preload: tuple[str, ...],
                 expected: int, ahead: int):
        self.env = env
        self.cwd = cwd
        self.setup_code = setup_code
        self.rc_text = rc_text
        self.preload = preload
        self.expected = expected
        self.ahead = max(1, ahead)
        self.started = 0
        self.lock = threading.Lock()
        self.waiting: list[Future] = []
        self.closed = False
        self.executor = ThreadPoolExecutor(max_workers=self.ahead + 2, thread_name_prefix="report-kernel")
        self.stoppers: list[Future] = []
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
        return future.result()

    def release(self, kernel: PreparedKernel) -> None:
        """Kill a used kernel in the background; the next document need not wait for it."""
        with self.lock:
            self.stoppers.append(self.executor.submit(_stop, kernel))

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

    def _start(self) -> PreparedKernel:
        return asyncio.run(self._async_start())

    async def _async_start(self) -> PreparedKernel:
        from jupyter_client.manager import AsyncKernelManager
        from traitlets.config import Config

        folder = Path(tempfile.mkdtemp(prefix="report-kernel-"))
        # Read by matplotlib whenever it is first imported, however late (plotnine imports it lazily).
        rc_file = folder / "matplotlibrc"
        rc_file.write_text(self.rc_text, encoding="utf-8")
        launch_env = {**os.environ, **self.env, "MATPLOTLIBRC": str(rc_file)}
        # IPC sockets in a private folder: no TCP ports, and no plain-text transport warning from ipykernel.
        config = Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "kernel")}})
        manager = AsyncKernelManager(kernel_name="python3", config=config)
        try:
            await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"], env=launch_env,
                                       cwd=str(self.cwd))
            client = manager.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=START_TIMEOUT)
                reply = await client.execute_interactive(self.setup_code + _preload_code(self.preload), silent=True,
                                                         store_history=False, timeout=START_TIMEOUT)
                if reply["content"].get("status") != "ok":
                    raise RuntimeError(f"kernel set-up failed: {reply['content'].get('evalue')}")
            finally:
                client.stop_channels()
        except BaseException:
            await _async_stop(PreparedKernel(manager, folder, launch_env))
            raise
        return PreparedKernel(manager=manager, folder=folder, launch_env=launch_env)


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
        shutil.rmtree(kernel.folder, ignore_errors=True)


def _stop(kernel: PreparedKernel) -> None:
    asyncio.run(_async_stop(kernel))

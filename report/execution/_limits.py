"""A limit on the output of one cell, enforced while the kernel's messages stream in.

A cell that prints without end would otherwise fill the engine's memory and
end in an error from a later stage that names no cell. The engine counts the
bytes of every output message of a cell as it arrives; past the limit it keeps
no more output, kills the kernel, and the cell fails with an error that
names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from report.errors import ReportError

__all__ = ["limited_client", "output_limit_error", "message_bytes"]

_OUTPUT_MESSAGES = frozenset({"stream", "display_data", "update_display_data", "execute_result", "error"})


def message_bytes(message: dict[str, Any]) -> int:
    """The size of an output message's payload in bytes (text as UTF-8; other data as sent)."""
    content = message.get("content", {})
    kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
    if kind == "stream":
        return _size(content.get("text", ""))
    if kind == "error":
        return sum(_size(line) for line in content.get("traceback", []))
    return sum(_size(value) for value in content.get("data", {}).values())


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    return len(str(value))


def limited_client(notebook, manager, *, timeout: int, limit: int, cwd: Path):
    """An nbclient NotebookClient that keeps at most ``limit`` bytes of output per cell."""
    from nbclient import NotebookClient

    from report.execution._kernels import kill_kernel_process

    class LimitedClient(NotebookClient):
        def process_message(self, msg, cell, cell_index):
            kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
            if kind in _OUTPUT_MESSAGES:
                if cell_index in self.over_limit:
                    return None  # already over: keep nothing more, wait for the interrupt to end the cell
                total = self.output_bytes.get(cell_index, 0) + message_bytes(msg)
                self.output_bytes[cell_index] = total
                if total > self.output_limit:
                    self.over_limit[cell_index] = total
                    cell.outputs = []  # what it printed so far is dropped too: the cell fails
                    # Killed, not interrupted: an interrupt that lands just after the cell ended can leave the
                    # kernel without a reply, and the render fails here anyway.
                    kill_kernel_process(self.km)
                    return None
            return super().process_message(msg, cell, cell_index)

    client = LimitedClient(notebook, km=manager, timeout=timeout, allow_errors=False, record_timing=False,
                           resources={"metadata": {"path": str(cwd)}})
    client.output_limit = limit
    client.output_bytes = {}
    client.over_limit = {}  # notebook cell index -> bytes counted when the limit was passed
    return client


def output_limit_error(cell_name: str, limit: int, source: Path, line: int | None) -> ReportError:
    return ReportError(
        f"cell '{cell_name}' produced more than the output limit of {_megabytes(limit)} and was stopped; "
        "print less, or raise report.output-limit in _quarto.yml or --output-limit",
        path=source, line=line)


def _megabytes(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{count:,} bytes".replace(",", " ")

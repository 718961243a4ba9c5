"""Progress of a long import: a rich bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["Steps"]


class Steps:
    """A fixed number of named steps, shown as they start."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.console = Console(stderr=True)
        self.enabled = enabled
        self.total, self.done = total, 0
        self.bar: Progress | None = None
        self.task = None
        if enabled and self.console.is_terminal:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=self.console,
            )
            self.task = self.bar.add_task("registers", total=total)
            self.bar.start()

    def advance(self, name: str) -> None:
        """Mark the previous step done and name the next one."""
        if not self.enabled:
            return
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done, description=name)
        else:
            print(f"[{self.done + 1}/{self.total}] {name}", file=sys.stderr, flush=True)
        self.done += 1

    def close(self) -> None:
        """Finish the bar."""
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done)
            self.bar.stop()

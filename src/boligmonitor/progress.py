"""Progress of long work: a rich bar on a terminal, plain log lines otherwise.

Every command step that can take more than a couple of seconds (generating the synthetic city,
importing registers, computing indicators, screening, building the demo) announces itself
through :class:`Steps`, so a run that writes to a log file or a pipe is never silent.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console

from boligmonitor.i18n import Language, fmt_number, translate

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["Steps"]


class Steps:
    """A fixed number of named steps, shown as they start.

    On a terminal a rich bar shows the current step and the time spent; otherwise each step is
    a line ``[2/5] Screener 2021 (forrige trin 12,3 s)`` on standard error, with the time the
    step before took, flushed at once. Usable as a context manager, which closes the bar.
    """

    def __init__(
        self, total: int, enabled: bool = True, title: str = "", lang: Language = "da"
    ) -> None:
        self.lang = lang
        self.console = Console(stderr=True)
        self.enabled = enabled
        self.total, self.done = total, 0
        self.title = title
        self.started = self.step_started = time.monotonic()
        self.bar: Progress | None = None
        self.task = None
        if enabled and self.console.is_terminal:
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=self.console,
            )
            self.task = self.bar.add_task(title or "…", total=total)
            self.bar.start()

    def advance(self, name: str) -> None:
        """Mark the previous step done and name the next one."""
        if not self.enabled:
            return
        now = time.monotonic()
        if self.bar is not None and self.task is not None:
            label = f"{self.title}: {name}" if self.title else name
            self.bar.update(self.task, completed=self.done, description=label)
        else:
            seconds = fmt_number(now - self.step_started, 1, self.lang)
            previous = (
                f" ({translate('previous step {seconds} s', self.lang, seconds=seconds)})"
                if self.done
                else ""
            )
            prefix = f"{self.title}: " if self.title else ""
            print(
                f"[{self.done + 1}/{self.total}] {prefix}{name}{previous}",
                file=sys.stderr,
                flush=True,
            )
        self.step_started = now
        self.done += 1

    def close(self) -> None:
        """Finish the bar (or log the total time)."""
        if not self.enabled:
            return
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done)
            self.bar.stop()
            self.bar = None
        else:
            elapsed = fmt_number(time.monotonic() - self.started, 1, self.lang)
            prefix = f"{self.title}: " if self.title else ""
            done = translate("done after {seconds} s", self.lang, seconds=elapsed)
            print(f"{prefix}{done}", file=sys.stderr, flush=True)

    def __enter__(self) -> Steps:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

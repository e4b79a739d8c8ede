"""A progress bar with rate and ETA for long ingests (rich), silent when not on a terminal."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..records import Rejection


class IngestProgress:
    """Counts items as they leave the pipeline; the total is known for local files only."""

    def __init__(self, inputs: Iterable[str], *, enabled: bool, console: Console):
        self.enabled = enabled
        self.console = console
        self.progress: Progress | None = None
        self.task = None
        self.inputs = list(inputs)
        self.done = self.rejected = 0

    def __enter__(self) -> IngestProgress:
        if not self.enabled:
            return self
        from ..ingest.sources import count_inputs

        total = count_inputs(self.inputs)
        self.progress = Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("[red]{task.fields[rejected]}"), console=self.console, transient=False)
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=total, rate="", rejected="")
        return self

    def update(self, item, _result=None) -> None:
        self.done += 1
        if isinstance(item, Rejection):
            self.rejected += 1
        if self.progress is not None:
            elapsed = self.progress.tasks[0].elapsed or 0
            rate = f"{self.done / elapsed:,.0f}/s" if elapsed > 0 else ""
            self.progress.update(self.task, advance=1, rate=rate,
                                 rejected=f"{self.rejected} rejected" if self.rejected else "")

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def __exit__(self, *exc: object) -> None:
        self.stop()

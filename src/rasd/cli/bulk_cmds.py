"""``rasd bulk``: the ingest pipeline over many inputs on several cores (or a Ray cluster), resumable."""

from __future__ import annotations

import json
import os
import sys

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from .main import EXIT_INTERRUPTED, EXIT_REJECTED, _print_summary, _store, cli, console, err_console


class BulkProgress:
    """Shards done of those to do, articles read, rate, rejections and items per stage (rich)."""

    def __init__(self, *, enabled: bool, console: Console):
        self.enabled = enabled
        self.console = console
        self.progress: Progress | None = None
        self.task = None

    def __enter__(self) -> BulkProgress:
        if self.enabled:
            self.progress = Progress(
                TextColumn("[bold]bulk"), BarColumn(), MofNCompleteColumn(), TextColumn("shards"),
                TextColumn("{task.fields[read]}"), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), TextColumn("[red]{task.fields[rejected]}"),
                TextColumn("\n  [dim]{task.fields[stages]}"), console=self.console, transient=False)
            self.progress.start()
            self.task = self.progress.add_task("bulk", total=None, read="", rate="", rejected="", stages="")
        return self

    def plan(self, summary) -> None:
        if self.progress is not None:
            self.progress.update(self.task, total=summary.shards - summary.shards_skipped)
            if summary.shards_skipped:
                self.progress.console.print(f"resuming job {summary.job}: {summary.shards_skipped} of "
                                            f"{summary.shards} shards already done")

    def update(self, result, summary) -> None:
        if self.progress is None:
            return
        elapsed = self.progress.tasks[0].elapsed or 0
        stages = " · ".join(f"{name} {n:,}" for name, n in summary.stage_counts.items())
        self.progress.update(self.task, advance=1, read=f"{summary.read:,} read",
                             rate=f"{summary.read / elapsed:,.1f}/s" if elapsed > 0 else "",
                             rejected=f"{len(summary.rejected)} rejected" if summary.rejected else "",
                             stages=stages)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def __exit__(self, *exc: object) -> None:
        self.stop()


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--runner", type=click.Choice(["mp", "ray", "local"]), default="mp", show_default=True,
              help="mp: a process pool on this machine; ray: Ray tasks; local: one process, no pool.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Parallel workers. Default: the number of CPU cores.")
@click.option("--address", default=None, metavar="RAY_ADDRESS",
              help="Join this Ray cluster (e.g. auto or ray://head:10001) instead of starting a local one.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Loose files per shard (each zip, WARC, gzip or JSONL file is a shard of its own).")
@click.option("--list", "from_list", is_flag=True,
              help="INPUTS are text files listing inputs (paths, globs), one per line.")
@click.option("--stages", multiple=True, metavar="NAMES",
              help="Extra registered stages to append, comma-separated; module:name imports module first.")
@click.option("--analysis/--no-analysis", default=True, show_default=True,
              help="Also detect entities and attributions; --no-analysis only cleans.")
@click.option("--stories/--no-stories", default=True, show_default=True,
              help="Assign articles to stories as they are stored (vectors are computed in the workers).")
@click.option("--alerts/--no-alerts", default=True, show_default=True,
              help="Check watchlists as articles are stored. With --no-stories --no-alerts (an archive backfill; "
                   "`rasd recluster` assigns stories later) the store is written in batches, the fastest way.")
@click.option("--job", default=None, help="Job id for resumption. Default: derived from the inputs and stages.")
@click.option("--restart", is_flag=True, help="Forget this job's progress and process every shard again.")
@click.option("--max-bytes", default=50_000_000, show_default=True, help="Reject inputs larger than this.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def bulk(ctx: click.Context, inputs: tuple[str, ...], runner: str, workers: int | None, address: str | None,
         batch_size: int, from_list: bool, stages: tuple[str, ...], analysis: bool, stories: bool, alerts: bool,
         job: str | None,
         restart: bool, max_bytes: int, progress: bool | None, as_json: bool) -> None:
    """Ingest many folders, globs, zips, WARCs or JSONL shards in parallel; a killed run resumes.

    Workers read and clean; this process alone writes to the store. Each finished
    shard is recorded, so running the same command again skips what is done.
    """
    from ..runners.bulk import bulk_ingest
    from ..runners.local import default_hooks
    from ..runners.shards import read_lists
    from ..runners.worker import pipeline_spec

    specs = read_lists(inputs) if from_list else list(inputs)
    extra = [name for entry in stages for name in entry.split(",") if name.strip()]
    stories = stories and analysis  # stories use the entities the analysis stages find
    spec = pipeline_spec(analysis=analysis, max_bytes=max_bytes, extra=extra, embed=stories)
    store = _store(ctx)
    show = sys.stderr.isatty() if progress is None else progress
    with BulkProgress(enabled=show, console=err_console) as bar:
        try:
            summary = bulk_ingest(specs, store, runner=runner, workers=workers or os.cpu_count() or 2,
                                  address=address, batch_size=batch_size, spec=spec, job=job, restart=restart,
                                  on_shard=bar.update, on_plan=bar.plan, after_store=default_hooks(stories=stories, alerts=alerts),
                                  command=f"bulk --runner {runner} " + " ".join(inputs))
        except KeyboardInterrupt:
            bar.stop()
            err_console.print("[yellow]interrupted[/]: finished shards are recorded; run the same command "
                              "again to resume")
            ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        console.print_json(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        _print_summary(summary)
        console.print(f"job {summary.job}: {summary.shards_done} shards done, {summary.shards_skipped} skipped "
                      f"(done before), {summary.shards_failed} failed; {summary.runner} × {summary.workers}, "
                      f"{summary.seconds:.1f}s, {summary.rate:,.1f} articles/s")
    if summary.rejected:
        ctx.exit(EXIT_REJECTED)

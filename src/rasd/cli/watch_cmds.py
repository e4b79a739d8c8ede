"""``rasd watch``: poll feeds on a schedule into the store (politely, resumable, with backoff)."""

from __future__ import annotations

import json
import logging

import click
from rich.markup import escape

from ..errors import InputError
from .main import EXIT_INTERRUPTED, _store, cli, console, err_console


@cli.command()
@click.argument("feeds_file", required=False, type=click.Path(dir_okay=False))
@click.option("--from-store", is_flag=True, help="Also poll the feeds added through the API/UI (/feeds).")
@click.option("--interval", default=300.0, show_default=True, type=click.FloatRange(1),
              help="Seconds between polls of one feed.")
@click.option("--host-delay", default=5.0, show_default=True, type=click.FloatRange(0),
              help="Minimum seconds between two requests to the same host.")
@click.option("--backoff", default=60.0, show_default=True, type=click.FloatRange(0),
              help="First wait after a failed poll; doubles with each failure in a row (max 6 h).")
@click.option("--once", is_flag=True, help="Poll every feed once (feeds in error backoff are skipped) and exit.")
@click.option("--no-robots", is_flag=True, help="Do not consult robots.txt.")
@click.option("--embed/--no-embed", default=True, show_default=True,
              help="Store tier-1 vectors of new articles (for related reports and semantic search).")
@click.option("--analysis/--no-analysis", default=True, show_default=True,
              help="Detect entities and attributions in new articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per poll.")
@click.pass_context
def watch(ctx: click.Context, feeds_file: str | None, from_store: bool, interval: float, host_delay: float,
          backoff: float, once: bool, no_robots: bool, embed: bool, analysis: bool, as_json: bool) -> None:
    """Poll the feeds listed in FEEDS_FILE (one URL a line, # comments) and ingest new items.

    Conditional GET and seen items make a repeated poll cheap; state is kept in the store,
    so a restarted watcher fetches nothing twice. Ctrl-C stops it cleanly.
    """
    from ..pipeline import default_pipeline
    from ..watch.feeds import list_feeds, read_feed_list
    from ..watch.monitor import FeedMonitor, PollResult, WatchConfig, default_after_store, embed_hook

    if not feeds_file and not from_store:
        raise InputError("give a FEEDS_FILE, --from-store, or both")
    store = _store(ctx)

    def feeds() -> list[str]:  # re-read every pass: edits to the file or the table apply without restart
        urls = read_feed_list(feeds_file) if feeds_file else []
        if from_store:
            urls += [f.url for f in list_feeds(store) if f.url not in urls]
        return urls

    def report(r: PollResult) -> None:
        if as_json:
            click.echo(json.dumps(r.as_dict(), ensure_ascii=False))
        elif r.ok:
            console.print(f"[green]✓[/] {escape(r.url)}: read {r.read}, stored {r.stored}, "
                          f"new versions {r.new_version}, rejected {r.rejected}")
        else:
            console.print(f"[red]✗[/] {escape(r.url)}: {escape(r.error)} "
                          f"({r.errors_in_row} in a row; next try {r.next_at and r.as_dict()['next_at']})")

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config = WatchConfig(interval=interval, host_delay=host_delay, backoff_base=backoff,
                         respect_robots=not no_robots)
    hooks = default_after_store() + ([embed_hook] if embed else [])
    urls = feeds()
    if not urls:
        err_console.print("[yellow]no feeds to watch[/]")
        return
    if not once:
        err_console.print(f"[dim]watching {len(urls)} feed(s) every {interval:g}s; Ctrl-C to stop[/]")
    with FeedMonitor(store, feeds, config=config, pipeline=default_pipeline(analysis=analysis),
                     after_store=hooks, on_poll=report) as monitor:
        try:
            results = monitor.run(once=once)
        except KeyboardInterrupt:
            err_console.print("[yellow]stopped[/]: everything stored so far is kept")
            ctx.exit(EXIT_INTERRUPTED)
    if once and results and not any(r.ok for r in results):
        ctx.exit(3)

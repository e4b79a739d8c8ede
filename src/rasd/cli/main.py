"""The ``rasd`` command line. The library raises; this module turns errors into messages and exit codes.

Exit codes: 0 success; 1 the run finished but some inputs were rejected; 2 usage or
bad input; 3 network; 4 store; 5 not found; 130 interrupted.
"""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..errors import RasdError
from ..store.base import ArticleQuery, open_store, resolve_db

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

EXIT_REJECTED = 1
EXIT_INTERRUPTED = 130


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="RASD_DB", default=None, metavar="PATH",
              help="Store location (SQLite file). Default: $RASD_DB or ./rasd.db")
@click.version_option(__version__, prog_name="rasd")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Rasd (رصد): read news reports in many languages and turn them into knowledge."""
    ctx.obj = {"db": resolve_db(db)}


def _store(ctx: click.Context):
    store = open_store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    return store


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--max-bytes", default=50_000_000, show_default=True, help="Reject inputs larger than this.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--analysis/--no-analysis", default=True, show_default=True,
              help="Also detect entities and attributions (slower); --no-analysis only cleans.")
@click.option("--stories/--no-stories", default=True, show_default=True,
              help="Assign each new article to a story as it arrives (needs the tier-1 encoder).")
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], max_bytes: int, progress: bool | None,
           as_json: bool, analysis: bool, stories: bool) -> None:
    """Ingest files, folders, globs, URLs, RSS/Atom feeds, WARC archives or '-' (stdin)."""
    from ..pipeline import default_pipeline
    from ..runners.local import default_hooks
    from ..runners.local import ingest as run_ingest
    from .progress import IngestProgress

    store = _store(ctx)
    show = sys.stderr.isatty() if progress is None else progress
    with IngestProgress(inputs, enabled=show, console=err_console) as bar:
        try:
            pipeline = default_pipeline(analysis=analysis, decode={"max_bytes": max_bytes})
            summary = run_ingest(inputs, store, pipeline=pipeline, on_item=bar.update, max_bytes=max_bytes,
                                 after_store=default_hooks(stories=stories and analysis),
                                 command="ingest " + " ".join(inputs))
        except KeyboardInterrupt:
            bar.stop()
            err_console.print("[yellow]interrupted[/]: everything stored so far is kept; run again to resume")
            ctx.exit(EXIT_INTERRUPTED)
    if as_json:
        console.print_json(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        _print_summary(summary)
    if summary.rejected:
        ctx.exit(EXIT_REJECTED)


def _print_summary(summary) -> None:
    console.print(
        f"read [bold]{summary.read}[/], stored [green]{summary.stored}[/], "
        f"new versions [cyan]{summary.new_version}[/], unchanged {summary.unchanged}, "
        f"rejected [{'red' if summary.rejected else 'default'}]{len(summary.rejected)}[/]")
    for note in summary.notes:
        console.print(f"[yellow]note[/]: {escape(note)}")
    if summary.rejected:
        for reason, n in summary.rejected_by_reason.items():
            console.print(f"  {n} × {reason}")
        for r in summary.rejected[:50]:
            console.print(f"  [red]✗[/] {escape(r.source)}: {escape(r.reason)} — {escape(r.detail)}")
        if len(summary.rejected) > 50:
            console.print(f"  … and {len(summary.rejected) - 50} more (see `rasd rejections`)")


@cli.command("ls")
@click.option("--lang", help="Only this language (ISO code).")
@click.option("--outlet", help="Only this outlet.")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date.")
@click.option("-n", "--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def list_articles(ctx, lang, outlet, since, until, limit, offset, as_json) -> None:
    """One line per article: id, language, date, outlet, title (newest first)."""
    store = _store(ctx)
    q = ArticleQuery(lang=lang, outlet=outlet, since=since, until=until, limit=limit, offset=offset)
    arts = store.list_articles(q)
    if as_json:
        for a in arts:
            click.echo(json.dumps({"id": a.id, "lang": a.lang, "published": a.published.value if a.published
                                   else None, "outlet": a.outlet, "title": a.title}, ensure_ascii=False))
        return
    width = console.width if sys.stdout.isatty() else 0  # never cut lines that go to a pipe or file
    for a in arts:
        date = a.published.value[:16] if a.published else "—"
        if a.published and a.published.doubtful:
            date += "?"
        title = " ".join((a.title or a.text[:80]).split())
        line = f"{a.id}  {a.lang:<3} {date:<17} {_clip(a.outlet or '—', 24):<24} {title}"
        click.echo(_clip(line, width) if width else line)
    total = store.count_articles(ArticleQuery(lang=lang, outlet=outlet, since=since, until=until))
    err_console.print(f"[dim]{len(arts)} of {total} articles[/]")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The export record as JSON.")
@click.option("--sentences", is_flag=True, help="List sentences with their language.")
@click.option("--versions", "show_versions", is_flag=True, help="List earlier versions.")
@click.pass_context
def show(ctx, article_id, as_json, sentences, show_versions) -> None:
    """Clean text, metadata, and what cleaning removed or repaired, and why."""
    from .render import render_article

    store = _store(ctx)
    art = store.get_article(article_id)
    if as_json:
        click.echo(json.dumps(art.to_export(), ensure_ascii=False, indent=2))
        return
    render_article(console, art, sentences=sentences)
    if show_versions:
        for v in store.versions(art.id)[:-1]:
            console.print(f"  version {v.version}: {v.content_hash[:12]} {escape(v.title)}")


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--lang", help="Only this language.")
@click.option("-n", "--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx, query, lang, limit, as_json) -> None:
    """Keyword search, Arabic/Persian-aware (letter variants, diacritics, clitics folded)."""
    store = _store(ctx)
    text = " ".join(query)
    hits = store.search(text, limit=limit, lang=lang)
    if as_json:
        for h in hits:
            click.echo(json.dumps({"id": h.article.id, "score": round(h.score, 4), "lang": h.article.lang,
                                   "title": h.article.title, "snippet": h.snippet}, ensure_ascii=False))
        return
    if not hits:
        err_console.print("no matches")
        return
    for h in hits:
        snip = escape(h.snippet).replace("[[", "[bold yellow]").replace("]]", "[/]")
        console.print(f"[bold]{h.article.id}[/] {h.article.lang} {escape(h.article.title)}")
        console.print(f"    {snip}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-")
@click.option("--lang")
@click.option("--outlet")
@click.option("--since")
@click.option("--until")
@click.pass_context
def export(ctx, fmt, output, lang, outlet, since, until) -> None:
    """Export articles (one JSON object per line; see the README for the contract)."""
    store = _store(ctx)
    q = ArticleQuery(lang=lang, outlet=outlet, since=since, until=until, limit=None)
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    n = 0
    try:
        for art in store.iter_articles(q):
            out.write(json.dumps(art.to_export(), ensure_ascii=False) + "\n")
            n += 1
    finally:
        if out is not sys.stdout:
            out.close()
    err_console.print(f"[dim]exported {n} articles[/]")


@cli.command()
@click.option("--run", "run_id", type=int, help="Only this run (default: all).")
@click.pass_context
def rejections(ctx, run_id) -> None:
    """Inputs that were rejected, with reasons."""
    store = _store(ctx)
    for r in store.rejections(run_id):
        click.echo(f"{r.source}\t{r.reason}\t{r.detail}")


@cli.command()
@click.pass_context
def runs(ctx) -> None:
    """Recent runs and their counts."""
    store = _store(ctx)
    for r in store.runs():
        console.print(f"#{r['id']} {r['started_at']} {escape(r['command'])}\n    {r['counts']}")


@cli.command()
def stages() -> None:
    """The registered pipeline stages and their default config."""
    from ..pipeline import DEFAULT_INGEST, REGISTRY, _ensure_loaded

    _ensure_loaded()
    for name, spec in REGISTRY.items():
        mark = "*" if name in DEFAULT_INGEST else " "
        console.print(f"{mark} [bold]{name}[/] {spec.defaults or ''} — {escape(spec.doc)}")



@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--read-only", is_flag=True, help="Refuse every write (POST/PUT/DELETE) with 403.")
@click.option("--token-file", type=click.Path(dir_okay=False), default=None,
              help="Also accept the tokens in this file (one a line); created with a new token if missing.")
@click.option("--allow-private-urls", is_flag=True, envvar="RASD_ALLOW_PRIVATE_URLS",
              help="Let API ingest fetch loopback/private addresses (off: SSRF guard).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes, one CPU core each; more than one needs --read-only "
                   "(the alert worker and writes stay in a single process).")
@click.pass_context
def serve(ctx, host, port, read_only, token_file, allow_private_urls, log_level, workers) -> None:
    """Serve the HTTP API (/api, docs at /docs) and the web UI on this store."""
    import os
    from pathlib import Path

    import uvicorn

    from ..api import ApiSettings, create_app

    if workers > 1:
        if not read_only:
            raise click.UsageError("--workers above 1 needs --read-only")
        from ..api.app import SERVE_OPTIONS

        os.environ[SERVE_OPTIONS] = json.dumps({"db": ctx.obj["db"], "read_only": True, "token_file": token_file,
                                                "allow_private_urls": allow_private_urls})
        err_console.print(f"[dim]store {escape(ctx.obj['db'])} (read-only, {workers} processes)[/]")
        uvicorn.run("rasd.api.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level)
        return
    settings = ApiSettings.from_env(ctx.obj["db"], read_only=read_only, allow_private_urls=allow_private_urls,
                                    token_file=Path(token_file) if token_file else None)
    app = create_app(settings)
    err_console.print(f"[dim]store {escape(ctx.obj['db'])}{' (read-only)' if read_only else ''}[/]")
    uvicorn.run(app, host=host, port=port, log_level=log_level)


@cli.group()
def token() -> None:
    """API tokens for state-changing requests."""


@token.command("create")
@click.option("--name", default="", help="A label to remember what the token is for.")
@click.pass_context
def token_create(ctx, name) -> None:
    """Print a new admin token (only its hash is stored; it cannot be shown again)."""
    from ..api.auth import create_token

    click.echo(create_token(_store(ctx), name=name))


from .provenance_cmds import provenance as _provenance_cmd  # noqa: E402

cli.add_command(_provenance_cmd)

from . import entity_cmds, link_cmds  # noqa: E402,F401,I001  (register their commands on `cli`)
from . import watch_cmds  # noqa: E402,F401,I001
from . import event_cmds  # noqa: E402,F401,I001  (registers `rasd events` and `rasd timeline`)

from . import bulk_cmds  # noqa: E402,F401,I001  (registers `rasd bulk`)

from . import story_cmds  # noqa: E402,F401,I001  (registers stories, story, recluster)


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="rasd", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        err_console.print("aborted")
        sys.exit(EXIT_INTERRUPTED)
    except RasdError as exc:
        err_console.print(f"[red]error[/]: {escape(str(exc))}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(0)
    # with standalone_mode=False click returns ctx.exit()'s code instead of raising
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()


"""``rasd stories``, ``rasd story ID`` and ``rasd recluster``: stories across outlets and languages."""

from __future__ import annotations

import json
from collections import Counter

import click
from rich.markup import escape

from .main import _store, cli, console


def _encoder():
    from ..embed import get_encoder

    return get_encoder(1)


@cli.command("stories")
@click.option("--limit", type=int, default=30, show_default=True)
@click.option("--export", "export", type=click.Choice(["jsonl"]), default=None, help="Write every story as JSONL.")
@click.option("--refresh", is_flag=True,
              help="Compute and store every story's summary, additions and relations that are missing or stale"
                   " (ingest does it for the stories it changes; run it once on a store filled by an older version).")
@click.pass_context
def stories_cmd(ctx: click.Context, limit: int, export: str | None, refresh: bool) -> None:
    """Stories, newest first, with article counts per language."""
    from .. import stories

    store = _store(ctx)
    if refresh:
        from ..stories.analysis import refresh as refresh_all

        console.print(" ".join(f"{k} {v}" for k, v in refresh_all(store, _encoder()).items()))
        return
    if export:
        for row in stories.export_rows(store, _encoder()):
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for s in stories.list_stories(store, limit=limit):
        langs = Counter(json.loads(r[2]).get("lang", "und") for r in store.story_member_rows(s.id))
        counts = " ".join(f"{k}:{v}" for k, v in sorted(langs.items()))
        click.echo(f"{s.id}  {s.topic_id or '—':<12} {(s.last_updated or '')[:10]:<10} {len(s.article_ids):>3}  "
                   f"{counts:<16} {' '.join(s.headline.split())}")


@cli.command("story")
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def story_cmd(ctx: click.Context, story_id: str, as_json: bool) -> None:
    """One story: members and their relation to the earliest report, timeline, summary, what each language adds."""
    from dataclasses import asdict

    from .. import stories

    view = stories.story_view(_store(ctx), story_id, _encoder())
    if as_json:
        click.echo(json.dumps({"story": asdict(view.story), "members": view.members, "additions": view.additions,
                               "events": view.events}, ensure_ascii=False))
        return
    s = view.story
    console.print(f"[bold]{escape(s.headline)}[/]  {s.id}  topic {s.topic_id}  "
                  f"{', '.join(s.languages)}  {s.first_seen} .. {s.last_updated}")
    for m in view.members:  # already in timeline order
        click.echo(f"  {(m['published'] or '?')[:16]:<16} {m['lang'] or '':<3} {m['relation'] or '':<14} "
                   f"{m['article_id']}  {(m['outlet'] or '—')[:24]:<24} {' '.join((m['title'] or '').split())}")
    console.print("[bold]Summary[/]")
    for line in s.summary:
        console.print("  • " + escape(line))
    for lang, lines in view.additions.items():
        console.print(f"[bold]Only in {lang}[/] ({len(lines)} sentences)")
        for line in lines[:5]:
            console.print("  + " + escape(line[:200]))
    for e in view.events:
        console.print(f"[dim]{e['at']} {e['kind']} {e['other'] or ''} {escape(e['reason'])}[/]")


@cli.command("recluster")
@click.pass_context
def recluster_cmd(ctx: click.Context) -> None:
    """Re-run story clustering over every stored article (story ids kept where possible)."""
    from .. import stories
    from ..stories.analysis import refresh

    store, enc = _store(ctx), _encoder()
    res = stories.recluster(store, enc)
    console.print(" ".join(f"{k} {v}" for k, v in res.items()))
    console.print("analysis: " + " ".join(f"{k} {v}" for k, v in refresh(store, enc).items()))

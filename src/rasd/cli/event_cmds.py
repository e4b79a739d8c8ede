"""``rasd events`` and ``rasd timeline``: extracted event frames, filtered, as a table, JSONL or ACLED-like CSV."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..store.base import open_store
from .main import cli

_FORMATS = click.Choice(["table", "jsonl", "csv"])


def _stored_or_extracted(store, article_ids: list[str] | None) -> list:
    """Frames from the store; articles without stored frames are extracted now (and saved)."""
    from ..events import extract_events

    have = store.list_events(article_ids=article_ids) if article_ids is not None else store.list_events()
    seen = {a for e in have for a, _ in e.evidence}
    arts = [store.get_article(i) for i in article_ids] if article_ids is not None else list(store.iter_articles())
    fresh = [e for a in arts if a.id not in seen for e in extract_events(a)]
    if fresh:
        store.put_events(fresh)
    return have + fresh


def _emit(events: list, fmt: str, merged: bool) -> None:
    from ..events import merge_events, timeline, write_csv, write_jsonl

    events = timeline(merge_events(events) if merged else events)
    if fmt == "jsonl":
        write_jsonl(events, sys.stdout)
        return
    if fmt == "csv":
        write_csv(events, sys.stdout)
        return
    t = Table(show_lines=False)
    for col in ("date", "type", "actors", "targets", "place", "modality", "killed", "sources"):
        t.add_column(col, no_wrap=col in ("date", "type"))
    for e in events:
        t.add_row(e.date.value if e.date else "—", f"{e.type}{'/' + e.mode if e.mode else ''}",
                  escape(", ".join(e.actors)), escape(", ".join(e.targets)), escape(e.place_name or e.place or ""),
                  e.modality + (" ¬" if e.negated else ""),
                  "" if e.quantity is None else str(e.quantity) + (" ≠" if e.conflicts.get("quantity") else ""),
                  str(len(e.evidence)))
    Console(highlight=False).print(t)


@cli.command("events")
@click.option("--type", "etype", help="PLOVER type, e.g. ASSAULT, CONSULT.")
@click.option("--actor", help="Entity id among actors or targets, e.g. country:EG, isis.")
@click.option("--place", help="Place entity id (a country id matches events inside it).")
@click.option("--from", "date_from", help="Earliest date (ISO prefix).")
@click.option("--to", "date_to", help="Latest date (ISO prefix).")
@click.option("--article", "articles", multiple=True, help="Only these article ids (repeatable).")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@click.option("--merge/--no-merge", default=True, show_default=True, help="Merge the same event across reports.")
@click.pass_context
def events_cmd(ctx: click.Context, etype, actor, place, date_from, date_to, articles, fmt, merge) -> None:
    """Events extracted from stored articles, filtered."""
    from ..events import filter_events

    store = open_store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    found = _stored_or_extracted(store, list(articles) if articles else None)
    _emit(filter_events(found, type=etype, actor=actor, place=place, date_from=date_from, date_to=date_to), fmt, merge)


@cli.command("timeline")
@click.argument("what", nargs=-1, required=True)
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
@click.pass_context
def timeline_cmd(ctx: click.Context, what: tuple[str, ...], fmt: str) -> None:
    """Timeline of an ENTITY id (actor, target or place), or of a story given as ARTICLE_IDS."""
    from ..events import filter_events

    store = open_store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    if len(what) == 1 and (":" in what[0] or not _is_article(store, what[0])):
        found = _stored_or_extracted(store, None)
        ent = what[0]
        found = filter_events(found, actor=ent) + [e for e in filter_events(found, place=ent) if ent not in e.actors
                                                  and ent not in e.targets]
    else:
        found = _stored_or_extracted(store, list(what))
    _emit(found, fmt, True)


def _is_article(store, key: str) -> bool:
    from ..errors import NotFound

    try:
        store.get_article(key)
    except NotFound:
        return False
    return True

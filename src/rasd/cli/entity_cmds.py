"""`rasd ner`, `rasd entities`, `rasd entity ID`: mentions and resolved identities."""

from __future__ import annotations

import json
import sys

import click
from rich.markup import escape

from ..errors import NotFound
from .main import _store, cli, console


@cli.command()
@click.option("--lang", help="Language of the text (detected when omitted).")
def ner(lang: str | None) -> None:
    """Read text on stdin; write one JSON mention per line: start, end, text, type, entity_id."""
    from ..entities import extract
    from ..text.langid import detect

    text = sys.stdin.read()
    lang = lang or detect(text)[0]
    for m in extract(text, lang):
        click.echo(json.dumps({"start": m.start, "end": m.end, "text": m.text, "type": m.type,
                               "entity_id": m.entity_id}, ensure_ascii=False))


@cli.command()
@click.option("--type", "etype", type=click.Choice(["PER", "ORG", "LOC"]), help="Only this type.")
@click.option("-n", "--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def entities(ctx, etype, limit, as_json) -> None:
    """Entities named in the store, by number of articles, with their names per language."""
    rows = _store(ctx).entity_counts(type=etype, limit=limit)
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        names = "; ".join(f"{lang}: {', '.join(ns[:3])}" for lang, ns in r["names"].items())
        console.print(f"{r['entity_id']:<32} {r['type']:<4} {r['articles']:>4} articles  {escape(names)}")


@cli.command()
@click.argument("entity_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def entity(ctx, entity_id, as_json) -> None:
    """One entity: names per language, coordinates, articles naming it, co-occurring entities."""
    from ..entities import get_entity

    store = _store(ctx)
    known = get_entity(entity_id)
    seen = store.entity_names(entity_id)
    if known is None and not seen:
        raise NotFound(f"no entity {entity_id!r} in the gazetteer or the store")
    articles = store.entity_articles(entity_id)
    co = store.cooccurring(entity_id)
    record = {
        "entity_id": entity_id,
        "type": known.type if known else None,
        "qid": known.qid if known else None,
        "lat": known.lat if known else None,
        "lon": known.lon if known else None,
        "country": known.country if known else None,
        "names": known.names if known else {},
        "names_seen": seen,
        "articles": articles,
        "cooccurring": [{"entity_id": e, "articles": n} for e, n in co],
    }
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{entity_id}[/] {record['type'] or ''} {record['qid'] or ''}")
    if known and known.lat is not None:
        console.print(f"  at {known.lat:.4f}, {known.lon:.4f} ({known.country})")
    for lang, names in (record["names"] or {}).items():
        console.print(f"  {lang}: {escape(', '.join(names[:6]))}")
    for lang, names in seen.items():
        console.print(f"  seen in {lang}: {escape(', '.join(names[:6]))}")
    console.print(f"  {len(articles)} articles: {' '.join(articles[:20])}")
    if co:
        console.print("  with: " + ", ".join(f"{e} ({n})" for e, n in co[:12]))

"""``rasd compare``, ``rasd related`` and ``rasd score``: how reports relate to each other."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import InputError
from ..records import Article, RawDocument
from .main import _store, cli, console


def _article(ctx: click.Context, ref: str) -> Article:
    """A stored article by id (or unique prefix), or a file cleaned by the default pipeline."""
    path = Path(ref)
    if path.is_file():
        from ..pipeline import default_pipeline

        out = default_pipeline().process_one(RawDocument(source=str(path), kind="text", data=path.read_bytes()))
        if not isinstance(out, Article):
            raise InputError(f"{ref}: {out.reason} {out.detail}".strip())
        if not out.id:
            out.id = path.name
        return out
    return _store(ctx).get_article(ref)


def _encoder():
    from ..embed import get_encoder

    return get_encoder(1)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="The comparison as JSON.")
@click.pass_context
def compare(ctx: click.Context, a: str, b: str, as_json: bool) -> None:
    """How two reports relate (stored ids or files): relation, score, sentence alignment, direction."""
    from ..link import compare as run_compare

    art_a, art_b = _article(ctx, a), _article(ctx, b)
    store = _store(ctx) if not (Path(a).is_file() and Path(b).is_file()) else None
    c = run_compare(art_a, art_b, _encoder(), store)
    d = c.to_dict(art_a, art_b)
    if as_json:
        console.print_json(json.dumps(d, ensure_ascii=False))
        return
    console.print(f"[bold]{d['relation']}[/]  score {d['score']:.3f}  "
                  f"({art_a.lang} {len(c.alignment.pairs)} aligned pairs, coverage "
                  f"{c.features.coverage_a:.0%} / {c.features.coverage_b:.0%}, doc cosine {c.features.doc_cos:.3f},"
                  f" Jaccard {c.features.jaccard:.2f})")
    table = Table("A", "B", "sim", show_lines=True)
    for p in d["aligned"]:
        table.add_row(f"[{','.join(map(str, p['a']))}] {escape(p['text_a'][:160])}",
                      f"[{','.join(map(str, p['b']))}] {escape(p['text_b'][:160])}",
                      f"{p['score']:.2f}" + (" (by order)" if p["by_order"] else ""))
    if d["aligned"]:
        console.print(table)
    for side in ("a", "b"):
        for u in d[f"unmatched_{side}"]:
            console.print(f"only in {side.upper()} [{u['i']}]: {escape(u['text'][:200])}")
    if "direction" in d:
        dr = d["direction"]
        console.print(f"likely original: [bold]{escape(str(dr['original'] or 'undecided'))}[/]")
        for e in dr["evidence"]:
            console.print(f"  - {escape(e)}")


@cli.command()
@click.argument("article_id")
@click.option("-n", "--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def related(ctx: click.Context, article_id: str, limit: int, as_json: bool) -> None:
    """The stored reports nearest to ARTICLE_ID, with relation and score (embeds what is missing)."""
    from ..link import index_all
    from ..link import related as find_related

    store = _store(ctx)
    enc = _encoder()
    art = store.get_article(article_id)
    index_all(store, enc)
    for r in find_related(store, art, enc, n=limit):
        if as_json:
            click.echo(json.dumps({"id": r.article_id, "relation": r.relation, "score": round(r.score, 4),
                                   "doc_cos": round(r.doc_cos, 4), "jaccard_estimate": r.jaccard_estimate},
                                  ensure_ascii=False))
            continue
        other = store.get_article(r.article_id)
        jac = f" J≈{r.jaccard_estimate:.2f}" if r.jaccard_estimate is not None else ""
        console.print(f"{r.article_id[:12]}  [bold]{r.relation:<14}[/] {r.score:.3f}{jac}  "
                      f"{other.lang} {escape(other.outlet)}  {escape(other.title[:80])}")


@cli.command()
@click.argument("pairs", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-")
def score(pairs: str, output: str) -> None:
    """Score {pair_id, text1, text2} JSONL lines on SemEval-2022 Task 8's 1-4 scale (1 = most similar)."""
    from ..link.sts import score_pairs

    stream = sys.stdin if pairs == "-" else open(pairs, encoding="utf-8")  # noqa: SIM115
    try:
        rows = []
        for n, line in enumerate(stream, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"line {n}: not JSON ({exc.msg})", source=pairs) from exc
    finally:
        if stream is not sys.stdin:
            stream.close()
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for rec, _ in score_pairs(rows, _encoder()):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()

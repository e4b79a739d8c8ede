"""``rasd provenance``: citation chains of articles as a tree, or the graph as JSON/GraphML/DOT."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from ..store.base import open_store


@click.command("provenance")
@click.argument("ids", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["tree", "json", "graphml", "dot"]), default="tree",
              show_default=True, help="tree: chains per article; others: export the citation graph.")
@click.pass_context
def provenance(ctx: click.Context, ids: tuple[str, ...], fmt: str) -> None:
    """Who says what and who cites whom, for the given article ids."""
    from ..provenance import build_graph, to_dot, to_graphml, to_json

    store = open_store(ctx.obj["db"])
    ctx.call_on_close(store.close)
    g = build_graph([store.get_article(i) for i in ids])
    if fmt != "tree":
        click.echo({"json": to_json, "graphml": to_graphml, "dot": to_dot}[fmt](g), nl=False)
        return
    console = Console(highlight=False)
    root = Tree(f"[bold]provenance[/] of {len(ids)} article(s); earliest: {g.earliest or '—'}; "
                f"most-cited origin: {escape(g.most_cited_origin or '—')}")
    for prov in g.articles:
        art = root.add(f"[bold]{prov.article_id}[/] {escape(prov.publisher or '(unknown outlet)')}")
        nodes: dict[tuple[str, ...], Tree] = {}
        for a in prov.attributions:
            parent = art
            for depth in range(2, len(a.chain) + 1):
                key = tuple(a.chain[:depth])
                if key not in nodes:
                    label = escape(a.chain[depth - 1])
                    if depth == len(a.chain) and a.speaker_kind != "outlet":
                        q = f" ({', '.join(a.qualifiers)})" if a.qualifiers else ""
                        label = f"{label} [dim]{a.speaker_kind}{escape(q)}[/]"
                    nodes[key] = parent.add(label)
                parent = nodes[key]
            parent.add(f"[dim]s{a.sentence} «{escape(a.cue)}»[/]")
    console.print(root)

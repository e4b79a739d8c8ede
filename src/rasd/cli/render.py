"""Terminal rendering of an article for ``rasd show``."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from ..records import Article


def render_article(console: Console, art: Article, *, sentences: bool = False) -> None:
    pub = art.published
    date = "—"
    if pub:
        date = f"{pub.value} ({pub.precision}, {pub.calendar}, from {pub.origin}: {pub.source_text!r})"
        if pub.doubtful:
            date += f"  [red]doubtful: {escape(pub.doubt_reason)}[/]"
    rows = [
        ("id", f"{art.id}  (version {art.version}, hash {art.content_hash[:12]})"),
        ("source", art.url or art.source),
        ("title", art.title or "—"),
        ("language", f"{art.lang} ({art.lang_score:.2f})"),
        ("published", date),
        ("outlet", art.outlet or "—"),
        ("dateline", art.dateline or "—"),
        ("author", art.author or "—"),
        ("encoding", art.encoding or "—"),
        ("sentences", str(len(art.sentences))),
    ]
    for key, value in rows:
        console.print(f"[bold]{key:>10}[/] {escape(str(value))}")
    console.print(Panel(escape(art.text), title="clean text", title_align="left"))
    if art.repairs:
        console.print("[bold]repairs[/]")
        for r in art.repairs:
            console.print(f"  {r.kind} ×{r.count}: {escape(r.detail)}")
    if art.removed:
        console.print(f"[bold]removed by cleaning[/] ({len(art.removed)} lines)")
        for r in art.removed:
            console.print(f"  [dim]{r.reason:<16}[/] {escape(r.line[:150])}")
    if sentences:
        console.print("[bold]sentences[/]")
        for s in art.sentences:
            console.print(f"  {s.i:>3} [{s.lang}] {escape(s.text)}")

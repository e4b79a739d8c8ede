"""Story-level citation graph: who cites whom across a set of articles.

Nodes are outlets (one per canonical name), people (one per normalised name) and
anonymous sources. An anonymous source is only "the same" source across articles
when it reaches us through the same origin outlet with the same qualifiers: two
outlets copying El Khabar's "Algerian security source" count once.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from ..records import Article
from ..text.normalize import normalize
from .chains import ArticleProvenance, analyse


@dataclass(slots=True)
class StoryGraph:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    earliest: str | None = None
    most_cited_origin: str | None = None
    common_origins: list[str] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    articles: list[ArticleProvenance] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"nodes": [{"id": k, **v} for k, v in self.nodes.items()],
                "edges": [{"source": a, "target": b, **e} for (a, b), e in self.edges.items()],
                "earliest": self.earliest, "most_cited_origin": self.most_cited_origin,
                "common_origins": self.common_origins, "claims": self.claims}


def _node_id(kind: str, label: str, origin: str, quals: list[str]) -> str:
    if kind == "outlet" or label.startswith("article:"):
        return "outlet:" + label if not label.startswith("article:") else label
    if kind == "anonymous":
        return f"anon:{origin}:{','.join(sorted(quals)) or normalize(label)}"
    return f"{kind}:{normalize(label)}"


def build_graph(articles: list[Article]) -> StoryGraph:
    """Citation graph, earliest report, origins and claims of a set of articles."""
    g = StoryGraph(articles=[analyse(a) for a in articles])
    dated = [(a.published.value, a.id) for a in articles if a.published]
    g.earliest = min(dated)[1] if dated else (articles[0].id if articles else None)
    origin_articles: dict[str, set[str]] = defaultdict(set)
    claims: dict[str, dict[str, Any]] = {}
    for prov in g.articles:
        for att, content in zip(prov.attributions, prov.contents, strict=True):
            chain = att.chain
            ids = []
            for n, label in enumerate(chain):
                last = n == len(chain) - 1 and att.speaker_kind != "outlet"
                kind = att.speaker_kind if last else "outlet"
                origin = chain[n - 1] if n else ""
                nid = _node_id(kind, label, origin, att.qualifiers if last else [])
                node = g.nodes.setdefault(nid, {"label": label, "kind": kind if n else "publisher",
                                                "qualifiers": list(att.qualifiers) if last else []})
                if n == 0 and kind == "outlet":
                    node["kind"] = "outlet"
                ids.append(nid)
            for n in range(1, len(ids)):
                rel = "quotes" if n == len(ids) - 1 and att.speaker_kind != "outlet" else "cites"
                e = g.edges.setdefault((ids[n - 1], ids[n]), {"relation": rel, "evidence": []})
                ev = [prov.article_id, att.sentence]
                if ev not in e["evidence"]:
                    e["evidence"].append(ev)
            outlets = [x for x in ids[1:] if x.startswith("outlet:")]
            origin = outlets[-1] if outlets else ids[-1]
            if att.speaker_kind == "outlet" and any(a == origin for a, _b in g.edges if a == origin):
                pass
            origin_articles[origin].add(prov.article_id)
            if att.speaker_kind != "outlet" and len(ids) > 1:
                c = claims.setdefault(ids[-1], {"source": ids[-1], "label": att.speaker, "statements": [],
                                                "carriers": [], "independent_sources": []})
                if content:
                    c["statements"].append({"article": prov.article_id, "sentence": att.sentence,
                                            "text": content})
                carrier = " → ".join(chain[:-1])
                if carrier not in c["carriers"]:
                    c["carriers"].append(carrier)
                if origin not in c["independent_sources"]:
                    c["independent_sources"].append(origin)
    # an outlet that cites another outlet is a carrier, not an origin
    citing = {a for (a, b) in g.edges if a.startswith("outlet:") and b.startswith("outlet:")}
    counts = Counter({o: len(arts) for o, arts in origin_articles.items()
                      if o not in citing and not o.startswith("article:")})
    if counts:
        g.most_cited_origin = g.nodes[max(counts, key=lambda o: (counts[o], o))]["label"]
    g.common_origins = sorted(g.nodes[o]["label"] for o, n in counts.items() if n >= 2)
    g.claims = list(claims.values())
    return g


def to_json(g: StoryGraph) -> str:
    return json.dumps(g.as_dict(), ensure_ascii=False, indent=2)


def to_dot(g: StoryGraph) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph provenance {", "  rankdir=LR;"]
    for nid, n in g.nodes.items():
        shape = {"outlet": "box", "publisher": "box", "anonymous": "ellipse"}.get(n["kind"], "oval")
        lines.append(f"  {q(nid)} [label={q(n['label'])}, shape={shape}];")
    for (a, b), e in g.edges.items():
        lines.append(f"  {q(a)} -> {q(b)} [label={q(e['relation'])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_graphml(g: StoryGraph) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
           '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
           '  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
           '  <key id="evidence" for="edge" attr.name="evidence" attr.type="string"/>',
           '  <graph id="provenance" edgedefault="directed">']
    for nid, n in g.nodes.items():
        out.append(f'    <node id="{escape(nid, {chr(34): "&quot;"})}"><data key="label">{escape(n["label"])}</data>'
                   f'<data key="kind">{n["kind"]}</data></node>')
    for (a, b), e in g.edges.items():
        ev = json.dumps(e["evidence"])
        out.append(f'    <edge source="{escape(a, {chr(34): "&quot;"})}" target="{escape(b, {chr(34): "&quot;"})}">'
                   f'<data key="relation">{e["relation"]}</data><data key="evidence">{escape(ev)}</data></edge>')
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"

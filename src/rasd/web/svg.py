"""Inline SVG drawn in Python: a lat/lon map frame for places, and a layered citation graph.

No tiles, no scripts, nothing fetched: an equirectangular frame with a graticule and points,
and a left-to-right layered layout (publisher first, chain depth as columns).
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

KIND_COLORS = {"publisher": "#0b6e6e", "outlet": "#2f6db5", "person": "#2e8b3e", "official_body": "#c26a00",
               "anonymous": "#7a7f85", "unknown": "#9a6fb0"}


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def map_svg(points: list[dict[str, Any]], *, width: int = 560, height: int = 320) -> Markup:
    """Points (``lat``, ``lon``, ``label``, ``main``) in a region frame with a lat/lon grid.

    The frame is the points' bounding box grown to at least 30° × 20°, so a single city
    still shows where it is on the globe through the grid labels.
    """
    pts = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    if not pts:
        return Markup("")
    lats, lons = [p["lat"] for p in pts], [p["lon"] for p in pts]
    lat0, lat1 = min(lats), max(lats)
    lon0, lon1 = min(lons), max(lons)
    pad_lon = max(15.0, (lon1 - lon0) * 0.25)
    pad_lat = max(10.0, (lat1 - lat0) * 0.25)
    lon0, lon1 = max(-180.0, lon0 - pad_lon), min(180.0, lon1 + pad_lon)
    lat0, lat1 = max(-90.0, lat0 - pad_lat), min(90.0, lat1 + pad_lat)
    # keep the frame's aspect ratio equirectangular (1° lon = 1° lat)
    span_lon, span_lat = lon1 - lon0, lat1 - lat0
    want = span_lon * height / width
    if want > span_lat:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - want / 2, mid + want / 2
    else:
        mid = (lon0 + lon1) / 2
        span = span_lat * width / height
        lon0, lon1 = mid - span / 2, mid + span / 2

    def x(lon: float) -> float:
        return (lon - lon0) / (lon1 - lon0) * width

    def y(lat: float) -> float:
        return (lat1 - lat) / (lat1 - lat0) * height

    step = 5 if max(lon1 - lon0, lat1 - lat0) <= 40 else 10 if max(lon1 - lon0, lat1 - lat0) <= 90 else 30
    out = [f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="map" direction="ltr">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef4f7" stroke="#9bb" />']
    for lon in range(math.ceil(lon0 / step) * step, math.floor(lon1) + 1, step):
        out.append(f'<line class="grid" x1="{_fmt(x(lon))}" y1="0" x2="{_fmt(x(lon))}" y2="{height}" />'
                   f'<text class="gl" x="{_fmt(x(lon) + 2)}" y="{height - 4}">{abs(lon)}°{"E" if lon >= 0 else "W"}'
                   '</text>')
    for lat in range(math.ceil(lat0 / step) * step, math.floor(lat1) + 1, step):
        out.append(f'<line class="grid" x1="0" y1="{_fmt(y(lat))}" x2="{width}" y2="{_fmt(y(lat))}" />'
                   f'<text class="gl" x="3" y="{_fmt(y(lat) - 2)}">{abs(lat)}°{"N" if lat >= 0 else "S"}</text>')
    main_lon = next((p["lon"] for p in pts if p.get("main")), None)
    for p in sorted(pts, key=lambda p: bool(p.get("main"))):  # the entity itself drawn last, on top
        cx, cy = x(p["lon"]), y(p["lat"])
        cls = "pt main" if p.get("main") else "pt"
        west = main_lon is not None and not p.get("main") and p["lon"] < main_lon  # label away from the main point
        tx, anchor = (cx - 8, "end") if west else (cx + 8, "start")
        out.append(f'<g class="{cls}"><circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{6 if p.get("main") else 4}" />'
                   f'<text x="{_fmt(tx)}" y="{_fmt(cy + 4)}" text-anchor="{anchor}">{escape(p.get("label", ""))}'
                   '</text></g>')
    out.append("</svg>")
    return Markup("".join(out))


def _clip(s: str, n: int = 26) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def layered_layout(nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """``node -> (column, row)``: column = longest path from a source (publishers have none coming in)."""
    incoming: dict[str, int] = defaultdict(int)
    out: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        if a in nodes and b in nodes and a != b:
            out[a].append(b)
            incoming[b] += 1
    col = {n: 0 for n in nodes}
    queue = deque(n for n in nodes if incoming[n] == 0)
    remaining = dict(incoming)
    seen: set[str] = set()
    while queue:
        n = queue.popleft()
        seen.add(n)
        for m in out[n]:
            col[m] = max(col[m], col[n] + 1)
            remaining[m] -= 1
            if remaining[m] == 0:
                queue.append(m)
    # a cycle leaves nodes unseen: they keep the deepest column their seen parents gave them
    rows: dict[int, int] = defaultdict(int)
    pos = {}
    order = sorted(nodes, key=lambda n: (col[n], nodes[n].get("kind") not in ("publisher", "outlet"), n))
    for n in order:
        pos[n] = (col[n], rows[col[n]])
        rows[col[n]] += 1
    return pos


def graph_svg(g: dict[str, Any], *, col_w: int = 240, row_h: int = 54, box_w: int = 190, box_h: int = 34) -> Markup:
    """The citation graph (``StoryGraph.as_dict()``) as SVG: boxes coloured by kind, arrows for citations."""
    nodes = {n["id"]: n for n in g.get("nodes", [])}
    if not nodes:
        return Markup("")
    edges = [(e["source"], e["target"], e.get("relation", "")) for e in g.get("edges", [])]
    pos = layered_layout(nodes, [(a, b) for a, b, _ in edges])
    ncols = max(c for c, _ in pos.values()) + 1
    nrows = max(r for _, r in pos.values()) + 1
    width, height = ncols * col_w + 20, nrows * row_h + 20

    def box(n: str) -> tuple[float, float]:
        c, r = pos[n]
        return 10 + c * col_w, 10 + r * row_h

    out = [f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="citation graph" direction="ltr">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555" /></marker></defs>']
    for a, b, rel in edges:
        if a not in pos or b not in pos:
            continue
        ax, ay = box(a)
        bx, by = box(b)
        x1, y1, x2, y2 = ax + box_w, ay + box_h / 2, bx, by + box_h / 2
        if x2 <= x1:  # same or earlier column (cycles): go around from the bottom
            x1, y1, x2, y2 = ax + box_w / 2, ay + box_h, bx + box_w / 2, by + box_h
        mid = (x1 + x2) / 2
        out.append(f'<path class="edge edge-{escape(rel)}" d="M{_fmt(x1)},{_fmt(y1)} C{_fmt(mid)},{_fmt(y1)} '
                   f'{_fmt(mid)},{_fmt(y2)} {_fmt(x2)},{_fmt(y2)}" marker-end="url(#arrow)"><title>{escape(rel)}'
                   '</title></path>')
    for nid, n in nodes.items():
        x, y = box(nid)
        kind = n.get("kind", "unknown")
        color = KIND_COLORS.get(kind, KIND_COLORS["unknown"])
        label = n.get("label", nid)
        quals = ", ".join(n.get("qualifiers") or [])
        out.append(f'<g class="node node-{escape(kind)}" data-id="{escape(nid)}"><title>{escape(label)} '
                   f'({escape(kind)}{", " + escape(quals) if quals else ""})</title>'
                   f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{box_w}" height="{box_h}" rx="6" fill="{color}" />'
                   f'<text x="{_fmt(x + box_w / 2)}" y="{_fmt(y + box_h / 2 + 5)}" text-anchor="middle">'
                   f'{escape(_clip(label))}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))


LANG_COLORS = {"ar": "#0b6e6e", "fa": "#c26a00", "en": "#2f6db5", "fr": "#9a6fb0", "tr": "#2e8b3e"}


@dataclass(slots=True)
class _Dot:
    """One point of a row timeline: its day, row, sort key, link, data attribute, colour and tooltip."""

    day: date
    row: str
    key: str
    href: str | None
    data: tuple[str, str]
    color: str
    title: str


def _row_timeline(dots: list[_Dot], rows: list[str], *, css: str, aria: str, label_class: str, width: int,
                  row_h: int, left: int, right: int) -> Markup:
    """x = day, one labelled row each, a (linked) dot per point; points on one day and row stack sideways
    a little so each stays clickable."""
    if not dots:
        return Markup("")
    d0, d1 = min(d.day for d in dots), max(d.day for d in dots)
    span = max((d1 - d0).days, 1)
    plot_w = width - left - right
    height = row_h * len(rows) + 30

    def x(d: date) -> float:
        return left + 12 + (d - d0).days / span * plot_w

    out = [f'<svg class="{css}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{aria}" direction="ltr">']
    for i, row in enumerate(rows):
        y = 14 + i * row_h + row_h / 2
        out.append(f'<line class="row" x1="{left}" y1="{_fmt(y)}" x2="{width - 6}" y2="{_fmt(y)}" />'
                   f'<text class="{label_class}" x="4" y="{_fmt(y + 4)}">{escape(row)}</text>')
    days = {d.day for d in dots}
    for d in sorted({d0, d1} | (days if len(days) <= 8 else set())):
        out.append(f'<text class="day" x="{_fmt(x(d))}" y="{height - 4}" text-anchor="middle">'
                   f'{d.isoformat()[5:]}</text>')
    seen: dict[tuple[date, str], int] = defaultdict(int)
    for d in sorted(dots, key=lambda d: (d.day, d.key)):
        k = seen[(d.day, d.row)]
        seen[(d.day, d.row)] += 1
        cx, cy = x(d.day) + k * 9, 14 + rows.index(d.row) * row_h + row_h / 2
        dot = (f'<circle class="dot" {d.data[0]}="{escape(d.data[1])}" cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="6" '
               f'fill="{d.color}"><title>{escape(d.title)}</title></circle>')
        out.append(f'<a href="{escape(d.href)}">{dot}</a>' if d.href else dot)
    out.append("</svg>")
    return Markup("".join(out))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def timeline_svg(members: list[dict[str, Any]], *, width: int = 640, row_h: int = 34, left: int = 44) -> Markup:
    """Coverage over time: x = publication day, one row per language, a dot (linked) per article.

    Undated members are left out (the member list still names them).
    """
    dots = []
    for m in members:
        day = _day(m.get("published"))
        if day is None:
            continue
        lang = m.get("lang") or "und"
        label = f"{m.get('published') or ''} · {m.get('outlet') or ''} · {m.get('title') or m['article_id']}"
        dots.append(_Dot(day, lang, m["article_id"], f"/articles/{m['article_id']}", ("data-lang", lang),
                         LANG_COLORS.get(lang, "#7a7f85"), label))
    langs = sorted({d.row for d in dots}, key=lambda la: (la not in ("ar", "fa"), la))
    return _row_timeline(dots, langs, css="timeline", aria="coverage timeline", label_class="lang",
                         width=width, row_h=row_h, left=left, right=24)


TYPE_COLORS = {"ASSAULT": "#b03a2e", "COERCE": "#c26a00", "PROTEST": "#9a6fb0", "CONSULT": "#2f6db5",
               "COOPERATE": "#2e8b3e", "AID": "#0b6e6e", "ACCUSE": "#7a5c00"}


def event_timeline_svg(events: list[dict[str, Any]], *, width: int = 720, row_h: int = 30, left: int = 96) -> Markup:
    """Events over time: x = event date, one row per event type, a dot per event linking to its first evidence.

    Takes :func:`rasd.api.routes_events.event_out` dicts; undated events are left out (the table lists them).
    """
    dots = []
    for e in events:
        day = _day((e.get("date") or {}).get("value"))
        if day is None:
            continue
        ev = e.get("evidence") or [{}]
        label = " · ".join(p for p in (e["date"]["value"], e["type"] + (f"/{e['mode']}" if e.get("mode") else ""),
                                       (e.get("place") or {}).get("name") or "", ev[0].get("text", "")[:120]) if p)
        aid = ev[0].get("article_id")
        dots.append(_Dot(day, e["type"], e["id"], f"/articles/{aid}" if aid else None, ("data-type", e["type"]),
                         TYPE_COLORS.get(e["type"], "#7a7f85"), label))
    return _row_timeline(dots, sorted({d.row for d in dots}), css="timeline events", aria="event timeline",
                         label_class="etype", width=width, row_h=row_h, left=left, right=40)

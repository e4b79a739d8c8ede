"""Event extraction on the hand-annotated dev set (benchmarks/data/events_dev.jsonl).

Gold frames were written by hand before the extractor existed. Gold actors and places are
entity ids ("country:EG", "isis") or surface names, which are resolved here with the entity
linker so that the benchmark measures role assignment, not name spelling. Scores (P/R/F1):

* type: (sentence, type) pairs, as multisets;
* actors / place / date: (sentence, type, value) tuples; a date matches when one ISO value
  is a prefix of the other (gold "2015-07" accepts "2015-07-24").

Negated events are not counted (the gold set annotates what happened or was planned).

    python benchmarks/events.py [--show]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_text import MissingShared, load_gold  # noqa: E402

from rasd.entities import extract as extract_mentions
from rasd.entities import get_entity
from rasd.entities.resolve import resolve, unknown_id
from rasd.events import extract_sentence
from rasd.records import Mention, PublishedDate

GOLD = Path(__file__).parent / "data" / "events_dev.jsonl"


def resolve_name(name: str, lang: str) -> str:
    if ":" in name or get_entity(name) is not None:
        return name
    for typ in ("LOC", "ORG", "PER"):  # a bare name, no context: the tagger would not tag it alone
        eid = resolve([Mention("gold", 0, len(name), name, typ)])[0].entity_id
        if eid and not eid.startswith("x:"):
            return eid
    ms = [m for m in extract_mentions(name, lang) if m.entity_id]
    return ms[0].entity_id if ms else unknown_id(name)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _matched(gold: list[tuple], pred: list[tuple], same=lambda a, b: a == b) -> int:
    left = list(pred)
    tp = 0
    for g in gold:
        for i, p in enumerate(left):
            if same(g, p):
                tp += 1
                del left[i]
                break
    return tp


def _date_same(g: tuple, p: tuple) -> bool:
    return g[:2] == p[:2] and (p[2].startswith(g[2]) or g[2].startswith(p[2]))


def run(show: bool = False) -> dict[str, tuple[float, float, float]]:
    try:  # the gold file points into ../shared; the sentences themselves are not in the repository
        rows = load_gold(GOLD)
    except MissingShared as exc:
        print(f"skipped: {exc}")
        return 0
    acc: dict[str, list[list[tuple]]] = {k: [[], []] for k in ("type", "actors", "place", "date")}
    for r in rows:
        pub = PublishedDate(r["published"], "day") if r.get("published") else None
        pred = [e for e in extract_sentence(r["text"], r["lang"], published=pub, article_id=r["id"]) if not e.negated]
        for side, evs in ((0, r["events"]), (1, pred)):
            for e in evs:
                get = (lambda k, e=e: e[k]) if side == 0 else (lambda k, e=e: getattr(e, k))
                t = get("type")
                acc["type"][side].append((r["id"], t))
                actors = [resolve_name(a, r["lang"]) for a in get("actors")] if side == 0 else get("actors")
                acc["actors"][side] += [(r["id"], t, a) for a in actors]
                place = get("place")
                if place:
                    acc["place"][side].append((r["id"], t, resolve_name(place, r["lang"]) if side == 0 else place))
                d = get("date")
                if d:
                    acc["date"][side].append((r["id"], t, d if side == 0 else d.value))
        if show:
            gold_t = Counter(e["type"] for e in r["events"])
            pred_t = Counter(e.type for e in pred)
            if gold_t != pred_t:
                print(r["id"], dict(gold_t), dict(pred_t), r["text"][:90], file=sys.stderr)
    out = {}
    for k, (gold, pred) in acc.items():
        tp = _matched(gold, pred, _date_same if k == "date" else (lambda a, b: a == b))
        out[k] = prf(tp, len(pred), len(gold))
        print(f"{k:7s} P={out[k][0]:.3f} R={out[k][1]:.3f} F1={out[k][2]:.3f}  (gold {len(gold)}, predicted {len(pred)})")
    return out


if __name__ == "__main__":
    run(show="--show" in sys.argv)

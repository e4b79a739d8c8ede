"""Entity extraction throughput and held-out NER F1.

Runs ``rasd.entities.extract`` on 200 real articles from ../shared/data/news (100 Arabic from
SaudiNewsNet, 100 Persian from Fars News) and prints articles/s (models loaded beforehand), then
the sizes of the shipped model and cluster files and the exact-span F1 of the shipped CRF models on
the fixed held-out split of each NER corpus.

    python benchmarks/entities.py [--n 200] [--workers 2] [--warm 1000] [--no-f1] [--stages]
                                  [--compare-consistency]

Tagging caches weights per token type (rasd.entities.linear_crf), so the first articles a process
reads cost more than later ones: by default the timed articles are read with cold caches;
``--warm N`` first has each process read N other articles (half per language), as a service that
has been running for a while. ``--stages`` also prints the CPU seconds of each step (tokens,
gazetteer, state scores, decoding, neural tagger where one ships, names copied within the article,
resolution) in a second pass with cold caches: CPU time is steadier than wall time on a shared
machine, so compare versions by it. ``--compare-consistency`` times extraction with and without that
copying, interleaved (3 rounds). The F1 lines score the held-out part in blocks of 20 sentences,
each standing for an article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path

from rasd import entities
from rasd.entities import crf
from rasd.entities.detect import detect_doc_tags
from rasd.entities.evaluate import blocks, load_split, score

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _sources() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(Arabic, Persian) articles in file order: SaudiNewsNet's daily zips, Fars News' files."""
    ar: list[tuple[str, str]] = []
    for path in sorted((SHARED / "data/news/saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(path) as z:
            ar += [(a.get("title", "") + "\n" + a["content"], "ar") for a in json.loads(z.read(z.namelist()[0]))]
    fa: list[tuple[str, str]] = []
    for path in sorted((SHARED / "data/news/farsnews").glob("fars-news-*.json")):
        fa += [(a["title"] + "\n" + "\n".join(a["paragraphs"]), "fa")
               for a in json.loads(path.read_text(encoding="utf-8"))]
    return ar, fa


def articles(n: int, skip: int = 0) -> list[tuple[str, str]]:
    """``n`` articles, half Arabic and half Persian, after the first ``skip`` of each language."""
    ar, fa = _sources()
    half = n // 2
    return ar[skip : skip + half] + fa[skip : skip + n - half]


def _warm(docs: list[tuple[str, str]] | None = None) -> None:
    """Load the gazetteer and both models outside the timing; with ``docs``, also run them, as a
    service that has read some news (per-token-type caches filled) before the timed articles."""
    entities.extract("تونس", "ar")
    entities.extract("تهران", "fa")
    for doc in docs or ():
        _count(doc)


def _count(doc: tuple[str, str]) -> int:
    return len(entities.extract(doc[0], doc[1]))


def stage_seconds(docs: list[tuple[str, str]]) -> dict[str, float]:
    """CPU seconds per step of extract() over ``docs`` (the same work, split by step), with the
    per-token-type caches emptied first."""
    from rasd.entities.crf import get_model, marginals, scorer
    from rasd.entities.features import gaz_tags
    from rasd.entities.gazetteer import get_gazetteer
    from rasd.entities.neural import get_net
    from rasd.entities.resolve import resolve
    from rasd.entities.tokenize import is_arabic_script, sentences, tokenize

    gaz, clock = get_gazetteer(), time.process_time
    for lang in ("ar", "fa"):
        scorer(lang)._clear()
        if get_net(lang) is not None:
            get_net(lang)._types.clear()
    out = dict.fromkeys(("tokens", "gazetteer", "states", "decode", "neural", "consistency", "resolve"), 0.0)
    for text, lang in docs:
        t = clock()
        sents = sentences(text, tokenize(text))
        out["tokens"] += clock() - t
        t = clock()
        matches = [gaz.match(sent) for sent in sents]
        out["gazetteer"] += clock() - t
        keep = [i for i, sent in enumerate(sents) if any(is_arabic_script(tok.text) for tok in sent)]
        t = clock()
        words = [[tok.text for tok in sents[i]] for i in keep]
        gts = [gaz_tags(len(sents[i]), matches[i], gaz) for i in keep]
        states = scorer(lang).states_many(list(zip(words, gts, strict=True)))
        out["states"] += clock() - t
        model, net = get_model(lang), get_net(lang)
        if net is None:
            t = clock()
            tagged, o_prob = crf.decode_crf(model, states)
            out["decode"] += clock() - t
            t = clock()
            crf.propagate(words, [tags for tags, _ in tagged], o_prob, lang)
            out["consistency"] += clock() - t
        else:
            t = clock()
            p_crf = [marginals(model, m, net.labels) for m in model.marginals(states)]
            out["decode"] += clock() - t
            t = clock()
            net.mix(p_crf, net.probs(words, gts))
            out["neural"] += clock() - t
        found = entities.detect(text, lang, include_norp=True)
        t = clock()
        resolve(found)
        out["resolve"] += clock() - t
    return {k: round(v, 3) for k, v in out.items()}


def heldout_f1(lang: str, merged: bool = False, consistent: bool = True) -> dict:
    """Held-out scores of the tagger alone, or (``merged``) of what ``rasd ner`` emits; blocks of
    20 sentences stand for articles (``consistent``: names copied within them)."""
    _, test = load_split(SHARED / "data" / "ner", lang)
    pred: list[list[str]] = []
    for part in blocks(test):
        words = [w for w, _ in part]
        pred += detect_doc_tags(words, lang) if merged else crf.tag_document(words, lang, consistent) or []
    return score([t for _, t in test], pred)


def timed(docs: list[tuple[str, str]]) -> float:
    t0 = time.perf_counter()
    sum(map(_count, docs))
    return time.perf_counter() - t0


def compare_consistency(docs: list[tuple[str, str]], rounds: int = 3) -> None:
    """Articles/s with and without copying names within the article, interleaved in one process."""
    real = crf.propagate
    rates: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        for name in ("with", "without"):
            crf.propagate = real if name == "with" else (lambda *a, **k: [])
            rates[name].append(len(docs) / timed(docs))
    crf.propagate = real
    print("consistency copying, articles/s (1 process): " + "; ".join(
        f"{k}: " + ", ".join(f"{r:.1f}" for r in v) for k, v in rates.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--no-f1", action="store_true")
    ap.add_argument("--workers", type=int, default=1, help="processes (the target machine has 2 cores)")
    ap.add_argument("--warm", type=int, default=0,
                    help="other articles each process reads first (a running service's caches); 0: cold")
    ap.add_argument("--stages", action="store_true", help="CPU seconds per step (second pass)")
    ap.add_argument("--compare-consistency", action="store_true",
                    help="articles/s with and without names copied within the article (interleaved)")
    args = ap.parse_args()
    docs = articles(args.n)
    if not docs:
        print("../shared/data/news not available", file=sys.stderr)
        return 1
    warm = articles(args.warm, skip=len(docs)) if args.warm else None
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers, initializer=_warm, initargs=(warm,)) as pool:
            list(pool.map(_count, [("تونس", "ar")] * args.workers * 2))  # start and warm every worker
            t0 = time.perf_counter()
            n_mentions = sum(pool.map(_count, docs, chunksize=10))
            dt = time.perf_counter() - t0
    else:
        _warm(warm)
        t0 = time.perf_counter()
        n_mentions = sum(map(_count, docs))
        dt = time.perf_counter() - t0
    chars = sum(len(t) for t, _ in docs)
    state = f"after {args.warm} other articles" if args.warm else "cold caches"
    print(f"extract ({args.workers} process(es), {state}): {len(docs)} articles ({chars / len(docs):.0f} chars avg) in {dt:.2f} s = "
          f"{len(docs) / dt:.1f} articles/s, {n_mentions} mentions")
    if args.stages:
        print("CPU seconds per step:", json.dumps(stage_seconds(docs)))
    if args.compare_consistency:
        compare_consistency(docs)
    data = resources.files("rasd").joinpath("data/entities")
    sizes = {f.name: len(f.read_bytes()) for f in data.iterdir() if f.name.endswith((".crfsuite", ".json.gz", ".npz"))}
    print("NER model files: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sorted(sizes.items())))
    if not args.no_f1:
        for lang in ("ar", "fa"):
            for merged, consistent, what in ((False, False, "tagger, sentence by sentence"), (False, True, "tagger"),
                                             (True, True, "tagger + gazetteer")):
                r = heldout_f1(lang, merged, consistent)
                per_type = ", ".join(f"{t} {r[t]['f1']}" for t in ("PER", "ORG", "LOC"))
                print(f"held-out {lang} ({what}): P {r['micro']['precision']} R {r['micro']['recall']} "
                      f"F1 {r['micro']['f1']} ({per_type})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Train the Arabic and Persian CRF taggers shipped in src/rasd/data/entities/ and write the data card.

Reads ../shared/data/ner (ANERcorp dev part, ArmanPersoNER fold 1), holds out every 10th block of
20 sentences (rasd.entities.evaluate.split), trains one CRF per language on the rest (L-BFGS, fixed
settings, so the result is deterministic), scores exact-span F1 for PER/ORG/LOC on the held-out part
and records it all in NER_DATA_CARD.md and ner_metrics.json.

    python scripts/train_ner.py --build-clusters   # word clusters from ../shared/data/news (once)
    python scripts/ner_e5clusters.py               # e5 word clusters (once; embeds ~121k words)
    python scripts/train_ner.py --validate         # compare settings on the validation split
    python scripts/train_ner.py --validate --langs fa --grid 0.05,0.1 --options '{"e5": [64]}'
    python scripts/train_ner.py                    # train the shipped models, score held-out
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pycrfsuite

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from rasd.entities.consistency import propagate  # noqa: E402
from rasd.entities.crf import decode_crf, model_name, to_bilou  # noqa: E402
from rasd.entities.detect import detect_doc_tags  # noqa: E402
from rasd.entities.evaluate import BLOCK, CORPORA, EVAL_TYPES, blocks, load_split, score, validation_split  # noqa: E402
from rasd.entities.features import OPTIONS, Featurizer, gaz_tags, sentence_features, set_options  # noqa: E402
from rasd.entities.gazetteer import get_gazetteer  # noqa: E402
from rasd.entities.lexicons import E5_CLUSTER_FILE, cluster_file, cluster_key, names_file  # noqa: E402
from rasd.entities.linear_crf import LinearCRF, Scorer  # noqa: E402
from rasd.entities.tokenize import is_arabic_script, norm_token, strip_clitics, tokenize, tokens_of  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
NER_DIR = SHARED / "ner"
OUT_DIR = REPO / "src" / "rasd" / "data" / "entities"
PARAMS = {"c1": 0.2, "c2": 0.05, "feature.possible_transitions": True}
LANG_PARAMS: dict[str, dict] = {"fa": {"c1": 0.05, "c2": 0.1}}  # per-language overrides of PARAMS chosen on the validation split
# Train on ArmanPersoNER's own fac/pro/event labels (mapped back to LOC/MISC when tagging)?
FINE_TYPES = {"ar": False, "fa": False}
#: distillation (scripts/ner_distill.py): teacher-tagged news added to the gold training part; the
#: settings were chosen on validation block 9 (least-sure word >= min_conf, gold counted twice)
SILVER: dict[str, dict] = {"fa": {"min_conf": 0.5, "gold_copies": 2}}


def silver_file(lang: str) -> str:
    return f"silver_{lang}.jsonl"


# (c1, c2) pairs compared by --validate
GRID = [(0.1, 0.01), (0.2, 0.05), (0.3, 0.1)]
CLUSTER_KS = [64, 256, 1024]  # coarse levels are k-means over the finest level's centroids
CLUSTER_VOCAB = {"ar": 80_000, "fa": 40_000}
# What the validation split said (the runs that chose the shipped settings) is recorded by hand in
# the card's text, scripts/ner_card.md.


def featurize(words: list[str], lang: str) -> list[list[str]]:
    toks = tokens_of(words)
    gaz = get_gazetteer()
    return sentence_features(words, gaz_tags(len(words), gaz.match(toks), gaz), lang)


def _params_text(results: list[dict]) -> str:
    return "; ".join(f"{r['lang']}: c1={r['params']['c1']}, c2={r['params']['c2']}, {r['iterations']} iterations"
                     for r in results)


def _fit(lang: str, train_s: list, params: dict, iterations: int, path: Path) -> float:
    random.seed(0)
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in train_s:
        trainer.append(featurize(words, lang), to_bilou(tags))
    trainer.set_params({**params, "max_iterations": iterations})
    t0 = time.time()
    trainer.train(str(path))
    return time.time() - t0


def merged_scores(lang: str) -> dict:
    """Held-out scores of what ``rasd ner`` emits with the shipped model: tagger and gazetteer merged
    (``rasd.entities.detect``, a block of BLOCK sentences standing for an article), next to the
    tagger alone in the card."""
    _, test_s = load_split(NER_DIR, lang)
    pred = [tags for part in blocks(test_s) for tags in detect_doc_tags([w for w, _ in part], lang)]
    return score([t for _, t in test_s], pred)


def _evaluate(lang: str, path: Path, test_s: list) -> tuple[dict, float, dict]:
    """Scores of the CRF in ``path`` as Rasd tags (article by article, names copied to their untagged
    repeats: ``rasd.entities.consistency``), tagging seconds, and the scores sentence by sentence."""
    crf = LinearCRF.from_file(path)
    sc = Scorer(crf, Featurizer(lang, frozenset(crf.index)))
    gaz = get_gazetteer()
    sent_pred: list[list[str]] = []
    doc_pred: list[list[str]] = []
    elapsed = 0.0
    for part in blocks(test_s):
        words = [w for w, _ in part]
        t0 = time.time()
        tagged, o_prob = decode_crf(crf, sc.states_many([(w, gaz_tags(len(w), gaz.match(tokens_of(w)), gaz))
                                                          for w in words]))
        elapsed += time.time() - t0
        tags = [t for t, _ in tagged]
        sent_pred += [list(t) for t in tags]
        propagate(words, tags, o_prob, lang)
        doc_pred += tags
    gold = [t for _, t in test_s]
    return score(gold, doc_pred), elapsed, score(gold, sent_pred)


def read_silver(path: Path, min_conf: float) -> list:
    """Teacher-tagged news sentences (``scripts/ner_distill.py silver``) whose least sure word is at
    least ``min_conf``."""
    rows = [json.loads(x) for x in path.open(encoding="utf-8")]
    return [(r["w"], r["t"]) for r in rows if r["min"] >= min_conf]


def train(lang: str, iterations: int, silver_dir: Path | None = None) -> dict:
    train_s, test_s = load_split(NER_DIR, lang)
    if FINE_TYPES[lang]:  # same sentences, finer training labels; scored on the coarse ones
        train_s = load_split(NER_DIR, lang, fine=True)[0]
    path = OUT_DIR / model_name(lang)
    params = {**PARAMS, **LANG_PARAMS.get(lang, {})}
    data, silver = train_s, None
    if lang in SILVER and silver_dir is not None:
        spec = SILVER[lang]
        src = silver_dir / silver_file(lang)
        if not src.is_file():
            raise SystemExit(f"{src} missing: run scripts/ner_distill.py teacher/silver --lang {lang} first")
        sil = read_silver(src, spec["min_conf"])
        data = train_s * spec["gold_copies"] + sil
        silver = {**spec, "sentences": len(sil), "tokens": sum(len(w) for w, _ in sil), "file": src.name}
    train_s_time = _fit(lang, data, params, iterations, path)
    res, elapsed, res_sentence = _evaluate(lang, path, test_s)
    n_tok = sum(len(w) for w, _ in test_s)
    return {"lang": lang, "train_sentences": len(train_s), "test_sentences": len(test_s),
            "train_tokens": sum(len(w) for w, _ in train_s), "test_tokens": n_tok,
            "train_seconds": round(train_s_time, 1), "tokens_per_second": round(n_tok / elapsed),
            "model_bytes": path.stat().st_size, "params": params, "iterations": iterations,
            "fine_types": FINE_TYPES[lang], "features": asdict(OPTIONS[lang]), "trained": date.today().isoformat(),
            "silver": silver, "scores": res, "scores_sentence": res_sentence, "scores_merged": merged_scores(lang)}


def apply_options(lang: str, changes: dict) -> None:
    """Feature options for an experiment (``--options``; JSON lists become tuples)."""
    if changes:
        set_options(lang, **{k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()})


def fold_split(train_s: list, fold: int) -> tuple[list, list]:
    """(fit, validation) with block ``fold`` of every 10 held out; fold 9 is ``evaluate.validation_split``
    (the shipped choices), other folds check that a gain is not one split's noise."""
    if fold == 9:
        return validation_split(train_s)
    fit, val = [], []
    for i, s in enumerate(train_s):
        (val if (i // BLOCK) % 10 == fold else fit).append(s)
    return fit, val


def validate(lang: str, iterations: int, changes: dict | None = None, grid: list | None = None,
             fold: int = 9) -> list[dict]:
    """Scores of each GRID setting on the validation split (fit part of train only)."""
    apply_options(lang, changes or {})
    fit_s, val_s = fold_split(load_split(NER_DIR, lang)[0], fold)
    if FINE_TYPES[lang]:
        fit_s = fold_split(load_split(NER_DIR, lang, fine=True)[0], fold)[0]
    out = []
    for c1, c2 in grid or GRID:
        path = Path(f"/tmp/ner_val_{lang}_{os.getpid()}.crfsuite")
        _fit(lang, fit_s, {**PARAMS, "c1": c1, "c2": c2}, iterations, path)
        res, _, res_sentence = _evaluate(lang, path, val_s)
        out.append({"lang": lang, "fold": fold, "c1": c1, "c2": c2, "options": changes or {}, "micro": res["micro"]["f1"],
                    **{t: res[t]["f1"] for t in EVAL_TYPES}, "micro_sentence": res_sentence["micro"]["f1"]})
        path.unlink(missing_ok=True)
        print(json.dumps(out[-1]), flush=True)
    return out


def build_names(lang: str, min_count: int = 2, min_share: float = 0.6) -> Path:
    """Name lexicon from ``lang``'s *training part* (never the held-out part): normalised, clitic-
    stripped tokens seen inside PER/ORG/LOC spans at least ``min_count`` times and in such spans for
    at least ``min_share`` of their occurrences, with their majority type. Word lists only."""
    train_s, _ = load_split(NER_DIR, lang)
    seen: Counter[str] = Counter()
    typed: dict[str, Counter[str]] = {}
    for words, tags in train_s:
        for w, t in zip(words, tags, strict=True):
            key = strip_clitics(norm_token(w))
            if len(key) < 3 or not is_arabic_script(key):
                continue
            seen[key] += 1
            if t[2:] in EVAL_TYPES:
                typed.setdefault(key, Counter())[t[2:]] += 1
    names: dict[str, list[str]] = {t: [] for t in EVAL_TYPES}
    for key, c in sorted(typed.items()):
        total = sum(c.values())
        if total >= min_count and total >= min_share * seen[key]:
            names[c.most_common(1)[0][0]].append(key)
    doc = {"lang": lang, "source": f"{CORPORA[lang]}, training part", "min_count": min_count,
           "min_share": min_share, "names": names}
    path = OUT_DIR / names_file(lang)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=0), encoding="utf-8")
    return path


def news_texts(lang: str) -> Iterator[str]:
    """Unlabeled news for the clusters: SaudiNewsNet (ar), Fars News (fa)."""
    if lang == "ar":
        for zpath in sorted((SHARED / "news" / "saudinewsnet").glob("*.zip")):
            with zipfile.ZipFile(zpath) as z:
                for name in sorted(z.namelist()):
                    for a in json.loads(z.read(name)):
                        yield (a.get("title") or "") + "\n" + (a.get("content") or "")
    else:
        for fpath in sorted((SHARED / "news" / "farsnews").glob("*.json")):
            for a in json.loads(fpath.read_text(encoding="utf-8")):
                yield "\n".join([a.get("title") or "", a.get("abstract") or "", *(a.get("paragraphs") or [])])


def build_clusters(lang: str, n_ctx: int = 10_000, dim: int = 100) -> Path:
    """Word clusters: positive PMI of each word with the words at offsets -2, -1, +1, +2 (10k most
    frequent as contexts), randomized SVD to ``dim``, k-means (k=1024) of the normalised vectors,
    then k-means of the centroids for the coarser levels. Seeded, so rebuilds are identical."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.utils.extmath import randomized_svd

    docs = [[cluster_key(norm_token(t.text)) for t in tokenize(x)] for x in news_texts(lang)]
    counts = Counter(w for d in docs for w in d)
    vocab = [w for w, c in counts.most_common(CLUSTER_VOCAB[lang]) if c >= 3]
    idx = {w: i for i, w in enumerate(vocab)}
    n_c = min(n_ctx, len(vocab))
    rows, cols = [], []
    for d in docs:
        ids = np.array([idx.get(w, -1) for w in d], dtype=np.int64)
        for k, off in enumerate((-2, -1, 1, 2)):
            a, b = (ids[-off:], ids[:off]) if off < 0 else (ids[:-off], ids[off:])
            m = (a >= 0) & (b >= 0) & (b < n_c)
            rows.append(a[m])
            cols.append(b[m] + k * n_c)
    r, c = np.concatenate(rows), np.concatenate(cols)
    cooc = sp.coo_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(vocab), 4 * n_c)).tocsr().tocoo()
    total = cooc.sum()
    row_p = np.asarray(cooc.sum(1)).ravel() / total
    ctx_p = np.asarray(cooc.sum(0)).ravel() ** 0.75  # context smoothing (Levy et al. 2015)
    ctx_p /= ctx_p.sum()
    pmi = np.log(cooc.data / total) - np.log(row_p[cooc.row]) - np.log(ctx_p[cooc.col] + 1e-12)
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (cooc.row[keep], cooc.col[keep])), shape=cooc.shape)
    u, s, _ = randomized_svd(ppmi, dim, random_state=0, n_iter=4)
    x = u * np.sqrt(s)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    km = MiniBatchKMeans(CLUSTER_KS[-1], random_state=0, batch_size=4096, n_init=1, max_iter=100).fit(x)
    parents = {str(k): KMeans(k, random_state=0, n_init=2).fit(km.cluster_centers_).labels_.tolist()
               for k in CLUSTER_KS[:-1]}
    doc = {"lang": lang, "k": CLUSTER_KS, "source": "SaudiNewsNet" if lang == "ar" else "Fars News",
           "words": vocab, "fine": km.labels_.tolist(), "parents": parents}
    path = OUT_DIR / cluster_file(lang)
    path.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0))
    return path


CARD = REPO / "scripts" / "ner_card.md"  # the card's text; {fields} are filled from ner_metrics.json


def earlier_entry(r: dict) -> dict:
    """A replaced model's held-out scores, for the card's history rows."""
    data = "gold + silver" if r.get("silver") else "gold only"
    return {"model": f"CRF trained {r.get('trained', 'date not recorded')}, {data}", "scores": r["scores"],
            "scores_sentence": r.get("scores_sentence"), "scores_merged": r.get("scores_merged")}


def write_card(results: list[dict]) -> None:
    """NER_DATA_CARD.md from the recorded runs (ner_metrics.json)."""
    rows, sizes = [], []
    cluster_sizes = "\n".join(f"- `{cluster_file(lang)}`: {(OUT_DIR / cluster_file(lang)).stat().st_size / 1e6:.2f} MB"
                              for lang in ("ar", "fa"))
    cluster_sizes += (f"\n- `{E5_CLUSTER_FILE}`: {(OUT_DIR / E5_CLUSTER_FILE).stat().st_size / 1e6:.2f} MB "
                      "(`e5` option only; not read by the shipped models)")
    names_size = (OUT_DIR / names_file("ar")).stat().st_size / 1e3
    for r in results:
        nn = r.get("neural_experiment")
        sil = r.get("silver")
        extra = f"; gold x{sil['gold_copies']} + {sil['sentences']} silver sentences" if sil else ""
        runs = [(f"CRF (shipped{extra}), names copied within the article", r["scores"])]
        if r.get("scores_sentence"):
            runs.append(("same CRF, sentence by sentence", r["scores_sentence"]))
        if r.get("scores_merged"):
            runs.append(("CRF + gazetteer (`rasd ner` output)", r["scores_merged"]))
        for old in r.get("earlier", []):
            copied = ", names copied within the article" if old.get("scores_sentence") else ""
            runs += [(f"earlier: {old['model']}{copied}", old["scores"])]
            if old.get("scores_sentence"):
                runs.append((f"earlier: {old['model']}, sentence by sentence", old["scores_sentence"]))
            if old.get("scores_merged"):
                runs.append((f"earlier: {old['model']} + gazetteer", old["scores_merged"]))
        if nn:
            runs += [("CRF + BiLSTM mix (not shipped; with the CRF of its day)", nn["scores"]),
                     ("BiLSTM alone (not shipped)", nn["scores_nn"])]
        for name, s in runs:
            m = s["micro"]
            rows.append(f"| {r['lang']} | {name} | {r['train_sentences']} / {r['train_tokens']} | {r['test_sentences']} / "
                        f"{r['test_tokens']} | {m['precision']} | {m['recall']} | {m['f1']} | "
                        + " | ".join(str(s[t]["f1"]) for t in EVAL_TYPES) + " |")
        sizes.append(f"- `{model_name(r['lang'])}`: {r['model_bytes'] / 1e6:.2f} MB, trained in {r['train_seconds']} s "
                     f"({r.get('trained', 'date not recorded')}), tags {r['tokens_per_second']} tokens/s")
        if nn:
            sizes.append(f"- `{nn['file']}` ({'shipped' if nn.get('shipped') else 'not shipped'}): "
                         f"{nn['model_bytes'] / 1e6:.2f} MB, trained in {nn['train_seconds']} s "
                         f"({nn['trained']}, seed {nn['seed']}, CRF weight {nn['alpha']}; "
                         f"{nn.get('train_seconds_note', 'wall clock')}). {nn.get('throughput', '')}")
    card = CARD.read_text(encoding="utf-8").format(params=_params_text(results),
                       gaz_version=get_gazetteer().version, date=date.today().isoformat(),
                       test_pct=10, rows="\n".join(rows),
                       sizes="\n".join(sizes) + "\n" + cluster_sizes + f"\n- `{names_file('ar')}`: {names_size:.1f} kB")
    (OUT_DIR / "NER_DATA_CARD.md").write_text(card, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--langs", default="ar,fa")
    ap.add_argument("--build-clusters", action="store_true", help="rebuild the word-cluster tables first")
    ap.add_argument("--validate", action="store_true", help="only compare GRID on the validation split")
    ap.add_argument("--build-names", action="store_true", help="rebuild the name lexicon (Arabic training part)")
    ap.add_argument("--card-only", action="store_true", help="rewrite NER_DATA_CARD.md from ner_metrics.json")
    ap.add_argument("--silver-dir", type=Path, default=Path("/tmp/ner_distill"),
                    help="where scripts/ner_distill.py wrote silver_<lang>.jsonl (languages in SILVER)")
    ap.add_argument("--no-silver", action="store_true", help="train on the gold training part only")
    ap.add_argument("--rescore", action="store_true",
                    help="re-score the shipped models on the held-out part (tagger by article and by sentence, "
                         "merged output) without retraining")
    ap.add_argument("--options", default="{}", help='--validate only: JSON feature-option changes, e.g. {"e5": [64]}')
    ap.add_argument("--fold", type=int, default=9, help="--validate only: which block of 10 validates (9: shipped)")
    ap.add_argument("--grid", default="", help="--validate only: c1,c2 pairs to compare, e.g. 0.05,0.1;0.2,0.05")
    args = ap.parse_args()
    langs = args.langs.split(",")
    grid = [tuple(float(x) for x in p.split(",")) for p in args.grid.split(";")] if args.grid else None
    changes = json.loads(args.options)
    if args.build_names:
        print(build_names("ar"), flush=True)
    if args.build_clusters:
        for lang in langs:
            print(build_clusters(lang), flush=True)
    if args.validate:
        with ProcessPoolExecutor(max_workers=min(2, len(langs))) as pool:
            list(pool.map(validate, langs, [args.iterations] * len(langs), [changes] * len(langs),
                          [grid] * len(langs), [args.fold] * len(langs)))
        return
    metrics_path = OUT_DIR / "ner_metrics.json"
    if args.card_only or args.rescore:
        results = json.loads(metrics_path.read_text(encoding="utf-8"))
        if args.rescore:
            for r in results:
                if r["lang"] in langs:
                    test_s = load_split(NER_DIR, r["lang"])[1]
                    r["scores"], _, r["scores_sentence"] = _evaluate(r["lang"], OUT_DIR / model_name(r["lang"]), test_s)
                    r["scores_merged"] = merged_scores(r["lang"])
                    r["rescored"] = date.today().isoformat()
            metrics_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
        write_card(results)
        return
    with ProcessPoolExecutor(max_workers=min(2, len(langs))) as pool:
        results = list(pool.map(train, langs, [args.iterations] * len(langs),
                                [None if args.no_silver else args.silver_dir] * len(langs)))
    if metrics_path.is_file():  # languages not retrained this time keep their recorded run
        recorded = {r["lang"]: r for r in json.loads(metrics_path.read_text(encoding="utf-8"))}
        for r in results:  # the replaced model's scores and experiments stay on the card as history
            old = recorded.pop(r["lang"], None)
            if old is not None:
                r["earlier"] = [*old.get("earlier", []), earlier_entry(old)]
                if old.get("neural_experiment"):
                    r["neural_experiment"] = old["neural_experiment"]
        results = sorted([*recorded.values(), *results], key=lambda r: r["lang"])
    metrics_path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_card(results)
    print(json.dumps([{k: r[k] for k in ("lang", "model_bytes", "train_seconds")} | {"micro": r["scores"]["micro"]}
                      for r in results], indent=1))


if __name__ == "__main__":
    main()

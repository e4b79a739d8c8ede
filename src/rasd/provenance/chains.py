"""Article-level provenance: resolve pronouns and "the paper", and build citation chains.

A chain runs from the publisher (``Article.outlet``) through every outlet that
relayed the report down to the source: "به گزارش X به نقل از Y … به نوشته Z"
gives publisher → Y → Z → source. Heuristics, documented because they matter:

* a relay cue (به نقل از، نقلا عن، citing) puts the article in *relay mode*: later
  outlets it names are taken as cited by the last relayed outlet, not in parallel;
* an intermediary that only passes on another outlet's report interviewed no one,
  so sources first hung under it move down to the single outlet it cites;
* a dative outlet (لصحيفة «X», told X) is where that source spoke; the same
  speaker named again without one keeps that outlet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Article, Attribution
from ..text.normalize import normalize
from ..text.sentences import split_sentences
from .extract import RawAttribution, extract_sentence
from .lexicon import fold_word
from .outlets import canonical_outlet, outlet_label


@dataclass(slots=True)
class ArticleProvenance:
    """Everything provenance learns from one article."""

    article_id: str
    publisher: str
    published: str | None
    attributions: list[Attribution] = field(default_factory=list)
    raw: list[RawAttribution] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)  # content text per attribution


def _sentences(article: Article) -> list[tuple[int, str, str, int]]:
    """(index, text, lang, start offset) of each sentence; splits the text when the article has none."""
    if article.sentences:
        return [(s.i, s.text, s.lang if s.lang in ("ar", "fa", "en") else article.lang, s.start)
                for s in article.sentences]
    return [(i, article.text[a:b], article.lang, a) for i, (a, b) in enumerate(split_sentences(article.text))]


def _publisher(article: Article, first: list[RawAttribution]) -> str:
    if article.outlet:
        return canonical_outlet(article.outlet) or article.outlet
    head = article.text.lstrip()[:80].split(":", 1)
    if len(head) == 2 and len(head[0].split()) <= 4:  # agency lead "خبرگزاری تسنیم: ..."
        found = canonical_outlet(head[0])
        if found:
            return found
    for a in first:  # Persian house style: the article opens "به گزارش <publisher>"
        if a.kind == "outlet" and fold_word(a.cue).endswith("گزارش"):
            return outlet_label(a.speaker)
    return ""


def _person_key(name: str) -> str:
    return " ".join(normalize(name).replace('"', " ").split())


def analyse(article: Article) -> ArticleProvenance:
    """Attributions of ``article`` with speakers resolved and chains built."""
    sents = _sentences(article)
    per: list[tuple[int, int, RawAttribution]] = []
    for idx, text, lang, start in sents:
        for a in extract_sentence(text, lang or "ar"):
            per.append((idx, start, a))
    first = [a for idx, _s, a in per if idx == (per[0][0] if per else 0)]
    prov = ArticleProvenance(article.id, _publisher(article, first),
                             article.published.value if article.published else None,
                             sentences=[t for _i, t, _l, _s in sents])
    head = prov.publisher or f"article:{article.id}"
    last_outlet = ""
    last_speaker: tuple[str, str, list[str]] | None = None
    last_anon: tuple[str, str, list[str]] | None = None
    speaker_outlet: dict[str, list[str]] = {}
    relay: list[str] = []
    relay_mode = False
    children: dict[str, set[str]] = {}
    source_at: list[tuple[int, str, bool]] = []  # (attribution index, outlet it hangs under, explicit)
    cur_sentence, local = -1, []
    texts = {i: t for i, t, _l, _s in sents}
    for idx, start, a in per:
        if idx != cur_sentence:
            cur_sentence, local = idx, []
        speaker, kind, quals = a.speaker, a.kind, list(a.qualifiers)
        if a.definite and last_outlet:
            speaker, kind = last_outlet, "outlet"
        elif a.implicit and last_speaker:
            speaker, kind, quals = last_speaker
        elif a.anaphoric and last_anon:
            speaker, kind, quals = last_anon
        if kind == "outlet":
            name = outlet_label(speaker)
            last_outlet = name
            if name == prov.publisher:
                chain = [head]
            else:
                if local:
                    path = local + [name] if name not in local else local[:local.index(name) + 1]
                elif name in relay:
                    path = relay[:relay.index(name) + 1]
                elif relay_mode and relay:
                    path = relay + [name]
                else:
                    path = [name]
                parent = path[-2] if len(path) > 1 else head
                children.setdefault(parent, set()).add(name)
                local = path
                if a.cue_type == "relay" or len(path) > 1:
                    relay_mode = True
                if relay_mode or not relay:
                    relay = path
                chain = [head, *path]
            speaker = name
        else:
            path, explicit = [], False
            if a.to:
                to = outlet_label(a.to[1:] if a.to.startswith("ل") and not canonical_outlet(a.to) else a.to)
                if fold_word(a.to).lstrip("ل") in {"الصحيفه", "الجريده", "الوكاله", "الشبكه", "القناه", "صحيفه"} \
                        and last_outlet:
                    to = last_outlet
                last_outlet = to
                path = [] if to == prov.publisher else (relay[:relay.index(to) + 1] if to in relay else [to])
                explicit = True
            elif speaker and _person_key(speaker) in speaker_outlet:
                path, explicit = speaker_outlet[_person_key(speaker)], True
            elif local:
                path = local
            elif relay_mode:
                path = relay
            if speaker and path:
                speaker_outlet.setdefault(_person_key(speaker), path)
            chain = [head, *path, speaker or "?"]
            source_at.append((len(prov.attributions), path[-1] if path else head, explicit))
            if speaker:
                last_speaker = (speaker, kind, quals)
                if kind == "anonymous":
                    last_anon = last_speaker
        if kind == "outlet":
            last_speaker = (speaker, kind, quals)
        cs = None
        if a.content_span:
            cs = (start + a.content_span[0], start + a.content_span[1])
            prov.contents.append(texts[idx][a.content_span[0]:a.content_span[1]])
        else:
            prov.contents.append("")
        prov.attributions.append(Attribution(article.id, idx, a.cue, speaker, kind, quals, cs, chain))
        prov.raw.append(a)
    _backfill(prov, speaker_outlet, head)
    _collapse_intermediaries(prov, children, source_at, head)
    return prov


def _backfill(prov: ArticleProvenance, speaker_outlet: dict[str, list[str]], head: str) -> None:
    """A source later said to have spoken to an outlet gets that outlet in its earlier chains too."""
    for att in prov.attributions:
        if att.speaker_kind != "outlet" and len(att.chain) == 2:
            path = speaker_outlet.get(_person_key(att.speaker))
            if path:
                att.chain = [head, *path, att.chain[-1]]


def _collapse_intermediaries(prov: ArticleProvenance, children: dict[str, set[str]],
                             source_at: list[tuple[int, str, bool]], head: str) -> None:
    for i, under, explicit in source_at:
        if explicit or under == head:
            continue
        att = prov.attributions[i]
        extra: list[str] = []
        node = under
        while len(children.get(node, ())) == 1:
            node = next(iter(children[node]))
            if node in att.chain or node in extra:
                break
            extra.append(node)
        if extra:
            att.chain = att.chain[:-1] + extra + att.chain[-1:]


def attributions_for(article: Article) -> list[dict]:
    """Attributions for the article export: sentence, cue, speaker, kind, qualifiers, content span, chain."""
    prov = analyse(article)
    return [{"sentence": a.sentence, "cue": a.cue, "speaker": a.speaker, "speaker_kind": a.speaker_kind,
             "qualifiers": list(a.qualifiers), "content_span": list(a.content_span) if a.content_span else None,
             "chain": list(a.chain)} for a in prov.attributions]

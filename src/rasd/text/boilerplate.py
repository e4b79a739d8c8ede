"""Remove site furniture from plain-text news pages, line by line, recording why.

Scraped pages carry share/comment prompts, "see also" and "most read" widgets,
logos, URLs, page numbers and repeated headlines around the report.  Lines are
judged by general patterns in four languages (matched on the normalised form,
so spelling variants meet) and by line features (length, position, sentence
punctuation, repetition) — never by any one site's strings.  A long line of
prose is body unless a distinctive prompt pattern matches it, and the first
real line (the title) and top datelines are left for the metadata stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import RemovedLine
from .normalize import normalize

_SENT_END = ".!?؟۔"
_TRAIL = "\"'»”’)]›* \u00a0"
_BODY_WORDS = 15  # a line this long that ends a sentence is body
_PATTERN_MAX_WORDS = 30  # no pattern applies to a longer line


def _alts(*phrases: str) -> str:
    """A regex alternation of phrases in the matching form (spaces match any spacing)."""
    forms = sorted({normalize(p) for p in phrases}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s*".join(re.escape(w) for w in f.split(" ")) for f in forms) + ")"


# Bare widget labels: the whole line (minus bullets, colons and counts) is the label.
_FULL: dict[str, list[str]] = {
    "share_prompt": [
        "شارك", "شاركها", "شارك الخبر", "شارك هذا الخبر", "شارك المقال", "شارك هذا المقال", "مشاركة",
        "شارك على", "شارك عبر", "انشر", "طباعة", "ارسل لصديق", "اشتراک گذاری", "به اشتراک بگذارید",
        "اشتراک در", "چاپ", "چاپ خبر", "ارسال به دوستان", "share", "share this", "share this article",
        "share this story", "share article", "tweet", "print", "email", "partager", "partager cet article",
        "imprimer", "envoyer",
    ],
    "comment_prompt": [
        "تعليقات", "التعليقات", "تعليق", "اضف تعليق", "أضف تعليقك", "اكتب تعليقك", "التعليق",
        "نظرات", "نظر", "ارسال نظر", "نظر شما", "نظر خود را بنویسید", "دیدگاه", "دیدگاه ها",
        "دیدگاه‌ها", "دیدگاهتان را بنویسید", "comments", "comment", "leave a comment", "leave a reply",
        "post a comment", "add a comment", "add comment", "commentaires", "commentaire",
        "laisser un commentaire", "laisser une réponse", "ajouter un commentaire", "réagir",
        "no comments yet", "be the first to comment", "لا توجد تعليقات", "هنوز نظری ثبت نشده",
    ],
    "see_also": [
        "شاهد أيضاً", "شاهد ايضا", "اقرأ أيضاً", "إقرأ أيضا", "اقرأ أيضًا", "اقرأ المزيد", "اقرأ ايضا",
        "مواضيع ذات صلة", "مقالات ذات صلة", "أخبار ذات صلة", "ذات صلة", "مواضيع متعلقة", "أخبار متعلقة",
        "قد يعجبك أيضا", "قد يهمك أيضا", "قد يهمك", "المزيد من الأخبار", "اخبار مشابهة",
        "بیشتر بخوانید", "بخوانید", "مطالب مرتبط", "اخبار مرتبط", "خبرهای مرتبط", "مطالب مشابه",
        "مطالب پیشنهادی", "مطالب بیشتر", "همچنین بخوانید", "see also", "read also", "also read",
        "read more", "related", "related articles", "related stories", "related news", "related posts",
        "related content", "more stories", "more news", "you may also like", "you might also like",
        "recommended", "à lire aussi", "a lire aussi", "lire aussi", "voir aussi", "sur le même sujet",
        "articles similaires", "articles liés", "dans la même rubrique", "à voir aussi",
        "موضوع يهمك", "مواضيع تهمك", "مواضيع قد تهمك", "اقرأ أيضا في", "mehr zum thema", "lesen sie auch",
        "auch interessant", "das könnte sie auch interessieren", "weitere artikel", "weitere nachrichten",
    ],
    "most_read": [
        "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا", "الأكثر تعليقا", "الأكثر شعبية", "الأكثر قراءة اليوم",
        "آخر الأخبار", "أحدث الأخبار", "الأكثر قراءة هذا الأسبوع", "پربازدیدترین", "پربازدیدترین ها",
        "پربحث ترین", "پربیننده ترین", "آخرین اخبار", "پربازدیدترین اخبار", "most read", "most popular",
        "most viewed", "most shared", "trending", "trending now", "popular", "latest news", "latest stories",
        "les plus lus", "les plus populaires", "les plus partagés", "plus lus", "dernières nouvelles",
        "dernières infos", "à la une",
    ],
    "empty_results": [
        "no stories found", "no results found", "no posts found", "no articles found", "nothing found",
        "no items found", "no results", "no posts", "لا توجد نتائج", "لا توجد أخبار", "لا يوجد محتوى",
        "لا توجد مقالات", "لم يتم العثور على نتائج", "لا توجد عناصر", "لا يوجد نتائج", "موردی یافت نشد",
        "نتیجه ای یافت نشد", "مطلبی یافت نشد", "هیچ نتیجه ای یافت نشد", "خبری یافت نشد", "aucun résultat",
        "aucun article", "aucun résultat trouvé", "aucun article trouvé",
    ],
    "logo": ["logo", "site logo", "الشعار", "شعار", "شعار الموقع", "لوگو", "لوگوی سایت", "logo du site"],
    "navigation": [
        "الرئيسية", "الصفحة الرئيسية", "home", "homepage", "accueil", "صفحه اصلی", "خانه", "القائمة",
        "menu", "skip to content", "skip to main content", "تخطى إلى المحتوى", "back to top",
        "العودة للأعلى", "retour en haut", "next article", "previous article", "next", "previous",
        "المقال السابق", "المقال التالي", "الخبر السابق", "الخبر التالي", "السابق", "التالي",
        "خبر بعدی", "خبر قبلی", "مطلب بعدی", "مطلب قبلی", "article précédent", "article suivant",
        "tags", "الوسوم", "كلمات مفتاحية", "برچسب ها", "کلیدواژه ها", "mots-clés", "mots clés",
        "subscribe", "newsletter", "اشترك", "اشترك الآن", "sign up", "log in", "login",
        "تسجيل الدخول", "ورود", "عضویت", "search", "بحث", "جستجو", "rechercher", "s'abonner",
        "read full article", "read the full article", "full article", "continue reading", "article content",
        "اقرأ الخبر كاملا", "اقرأ المقال كاملا", "ادامه مطلب", "ادامه خبر", "weiterlesen", "mehr lesen",
        "zur startseite", "startseite", "merken", "artikel merken", "mail an die redaktion", "teilen",
        "artikel teilen", "drucken", "kommentare", "anmelden", "abonnieren", "suche", "schließen",
    ],
    "advertisement": ["advertisement", "advertising", "sponsored", "sponsored content", "إعلان", "اعلانات",
                      "محتوى مدعوم", "تبلیغات", "آگهی", "publicité", "contenu sponsorisé", "anzeige", "werbung"],
    # a photo's caption or credit standing alone: "أرشيفية", "File photo", "Symbolbild"
    "caption": ["أرشيفية", "صورة أرشيفية", "صورة ارشيفية", "صورة تعبيرية", "صورة توضيحية", "عکس آرشیوی",
                "عکس تزئینی", "file photo", "archive photo", "stock photo", "photo", "image", "symbolbild",
                "archivbild", "archivfoto", "foto", "bild", "photo d'archive", "photo d'illustration"],
    "end_marker": ["انتهای پیام", "انتهای خبر", "پایان پیام", "پایان خبر", "انتهى", "end", "the end",
                   "fin", "###", "-0-"],
}
_FULL_MAX_WORDS = 8

# Distinctive prompts that open a line (they may run on: "Your email ... Required fields ...").
_START: list[tuple[str, str, int]] = [
    ("comment_prompt", _alts(
        "اترك تعليقاً", "اترك تعليقا", "اترك رداً", "اترك ردا", "أضف تعليقاً", "لن يتم نشر عنوان بريدك الإلكتروني",
        "لن يتم نشر بريدك الإلكتروني", "عنوان بريدك الإلكتروني لن يتم نشره", "الحقول الإلزامية",
        "يجب عليك تسجيل الدخول", "your email address will not be published", "required fields are marked",
        "you must be logged in to post a comment", "leave a comment", "leave a reply",
        "votre adresse e-mail ne sera pas publiée", "votre adresse de messagerie ne sera pas publiée",
        "les champs obligatoires sont indiqués", "laisser un commentaire", "نشانی ایمیل شما منتشر نخواهد شد",
        "ایمیل شما منتشر نخواهد شد", "آدرس ایمیل شما منتشر نخواهد شد", "ارسال نظر", "نظر خود را بنویسید",
    ), 20),
    ("share_prompt", _alts("share on", "share via", "partager sur", "partager via", "شارك على", "شارك عبر",
                           "اشتراک در", "اشتراک گذاری در", "follow us on", "suivez-nous sur", "تابعونا على",
                           "تابعنا على", "ما را در") + r"\W", 8),
    ("see_also", _alts(*_FULL["see_also"]) + r"\s*[:：\-–—»]", 20),
    ("navigation", _alts("tags", "tagged", "filed under", "categories", "category", "الوسوم", "كلمات مفتاحية",
                         "التصنيفات", "التصنيف", "برچسب ها", "کلیدواژه ها", "کلید واژه", "mots-clés",
                         "mots clés", "catégories") + r"\s*[:：]", 30),
    ("end_marker", _alts("انتهای پیام", "انتهای خبر", "پایان پیام") + r"(?:\W.{0,20})?$", 6),
    # newsletter and alert sign-up prompts: "اشترك لتصلك أهم الأخبار", "We'll send breaking news ..."
    ("subscribe_prompt", _alts(
        "اشترك لتصلك", "اشترك ليصلك", "اشترك الآن لتصلك", "اشترك في نشرتنا", "اشترك في النشرة", "اشترك في القائمة",
        "سجل بريدك الإلكتروني", "عضویت در خبرنامه", "در خبرنامه عضو شوید", "we'll send breaking news",
        "we will send breaking news", "sign up for our newsletter", "sign up to our newsletter",
        "subscribe to our newsletter", "get the latest news delivered", "get breaking news alerts",
        "newsletter abonnieren", "jetzt newsletter", "abonnez-vous à notre newsletter",
        "inscrivez-vous à notre newsletter",
    ), 20),
    # an ad slot's placeholder text: "This advertisement has not loaded yet, but your article continues below."
    ("advertisement", _alts(
        "this advertisement has not loaded yet", "advertisement - scroll to continue", "advertisement scroll to continue",
        "story continues below", "article continues below", "continue reading below", "تابع القراءة أدناه",
        "تخطى الإعلان", "ادامه مطلب در زیر", "anzeige -", "werbung -",
    ), 20),
    # a photo credit line: "Foto: dpa", "صورة: أرشيف", "عکس: ایرنا", "Photo: Reuters/Name"
    ("caption", _alts("foto", "photo", "bild", "صورة", "الصورة", "عکس", "تصوير", "عکاس", "crédit photo",
                      "photo credit", "image credit", "bildquelle") + r"\s*[:：]", 8),
    ("copyright", r"(?:copyright|\(c\))\s*(?:©|\(c\)|\d{4})", 25),
    # "کد خبر: 123456", "رقم الخبر: 123", "News ID: 123": the site's own article number
    ("news_id", r"(?:(?:كد|شناسه|شماره)\s*(?:خبر|مطلب)|رقم\s*(?:ال)?(?:خبر|مقال)|(?:news|article|story|post)\s*"
                r"(?:id|no|number)|id|réf(?:érence)?)\s*[:：#.]?\s*[\w\-/]*\d[\w\-/]*$", 6),
]
# Phrases that mark a copyright line wherever they occur in a short line.
_COPYRIGHT = re.compile("©|" + _alts(
    "all rights reserved", "جميع الحقوق محفوظة", "كل الحقوق محفوظة", "الحقوق محفوظة", "tous droits réservés",
    "کلیه حقوق", "تمامی حقوق", "حقوق مادی و معنوی", "استفاده از مطالب با ذکر منبع", "استفاده از مطالب فقط با ذکر",
))
_COPYRIGHT_MAX_WORDS = 25

_FULL_RE = {reason: re.compile(_alts(*phrases)) for reason, phrases in _FULL.items()}
_START_RE = [(reason, re.compile(rx), n) for reason, rx, n in _START]
_SOCIAL_TEXT = (
    "facebook twitter x whatsapp telegram linkedin email e-mail print pinterest reddit instagram youtube "
    "messenger viber copy link rss فيسبوك فيس بوك تويتر واتساب واتس اب تلغرام تليجرام تلگرام لينكدإن "
    "انستغرام يوتيوب طباعة بريد ايميل فیسبوک توییتر واتساپ اینستاگرام ایتا بله سروش"
)
_SOCIAL = frozenset(normalize(w) for w in _SOCIAL_TEXT.split())

_CORE_STRIP = re.compile(r"^[\W_]+|[\W_\d]+$")
_URL_LINE = re.compile(r"^(?:<?(?:https?://|www\.)\S+>?|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}(?:/\S*)?)$", re.I)
_URL_ANY = re.compile(r"(?:https?://|www\.)\S+", re.I)
_PAGE_NUM = re.compile(r"^[0-9٠-٩۰-۹]{1,3}$")
_PAGE_LABEL = re.compile(r"^(?:page|صفحة|الصفحة|صفحه)\s*\d{1,3}(?:\s*(?:of|sur|من|از|/)\s*\d{1,3})?$|^\d{1,3}\s*/\s*\d{1,3}$")
_BREADCRUMB_SEP = re.compile(r"\s*(?:»|›|>|\||/|·|•|«)\s*")
_IMAGE_EXT = r"(?:jpe?g|png|gif|webp|bmp|svg|tiff?)"
_IMG_TOKEN = re.compile(
    r"(?<![0-9A-Za-z])[0-9a-fA-F]{32}(?![0-9a-fA-F])(?:_[A-Za-z0-9]{1,3}(?![A-Za-z0-9]))?"
    r"|^[\w-]+\." + _IMAGE_EXT + r"(?![A-Za-z0-9])"
    r"|(?<![\w/.])[\w-]+\." + _IMAGE_EXT + r"(?=[^\sA-Za-z0-9.,;:!?)\]،؛؟»”\"'])",
    re.I,
)
_MEDIA_TEXT = (
    "news نيوز نیوز اخبار أخبار الإخبارية الاخباري خبرگزاری وكالة وكاله agency agence press presse tv "
    "times post journal جريدة صحيفة روزنامه online اونلاين آنلاین 24 info"
)
_MEDIA_WORDS = frozenset(normalize(w) for w in _MEDIA_TEXT.split())
_CHANNEL_24 = re.compile(r"(?<!\d)24(?!\d)")  # "France 24" is a name; other digits mean it is not
_LOGO = re.compile(r"(?:\S+\s+){0,2}(?:logo|لوگو)(?:\s+\S+){0,2}")
_DATELIKE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}|\d{1,2}:\d{2}|(?<!\d)(?:19|20|13|14)\d{2}(?!\d)")
_BLOCK_STARTS = {"see_also", "most_read", "end_marker"}


@dataclass(slots=True)
class _Line:
    i: int
    raw: str
    text: str
    norm: str
    core: str
    words: int
    ends_sentence: bool
    ellipsis: bool

    @property
    def is_body(self) -> bool:
        """Clear body prose: long, and either ends a sentence or is very long; teasers end with '…'."""
        return (self.words >= _BODY_WORDS and not self.ellipsis
                and (self.ends_sentence or self.words >= 25))


def _features(i: int, raw: str) -> _Line:
    cut, tokens = _cut_image_tokens(raw)
    text = cut.strip()
    if tokens and not text.strip(" -_|"):
        text = raw.strip()  # an image file alone on its line: judged (and removed) whole
    words = len(text.split())
    # Patterns only ever apply to short lines; long prose keeps its own text as its key (speed).
    short = words <= _PATTERN_MAX_WORDS
    norm = normalize(text) if short else text
    tail = text.rstrip(_TRAIL)
    ellipsis = tail.endswith(("...", "…", ".."))
    return _Line(i=i, raw=raw, text=text, norm=norm, core=_CORE_STRIP.sub("", norm) if short else text,
                 words=words, ends_sentence=bool(tail) and tail[-1] in _SENT_END and not ellipsis,
                 ellipsis=ellipsis)


def _is_breadcrumb(ln: _Line) -> bool:
    if ln.words > 12 or ln.ends_sentence:
        return False
    parts = [p for p in _BREADCRUMB_SEP.split(ln.text) if p.strip()]
    if len(parts) < 3 or len(_BREADCRUMB_SEP.findall(ln.text)) < 2:
        return False
    return all(len(p.split()) <= 4 and any(c.isalpha() for c in p) and not p.strip().isdigit() for p in parts)


def _url_reason(ln: _Line) -> bool:
    if " " not in ln.text and _URL_LINE.match(ln.text) and ln.text[-1:] not in _SENT_END:
        return True
    if ln.words <= 10:
        url_chars = sum(len(m.group()) for m in _URL_ANY.finditer(ln.text))
        return url_chars > 0.6 * len(ln.text.replace(" ", ""))
    return False


def _pattern_reason(ln: _Line) -> str | None:
    """Reason from explicit patterns, or None; long prose only matches distinctive prompts."""
    if not ln.text or ln.words > _PATTERN_MAX_WORDS:
        return None
    if _PAGE_NUM.match(ln.text) or _PAGE_LABEL.match(ln.norm):
        return "page_number"
    if ln.words <= 3 and _IMG_TOKEN.sub("", ln.text).strip(" -_|") == "":
        return "image_token"
    if _url_reason(ln):
        return "url"
    if ln.words <= _FULL_MAX_WORDS:
        for reason, rx in _FULL_RE.items():
            if rx.fullmatch(ln.core):
                return reason
        if ln.words <= 3 and not ln.ends_sentence and _LOGO.fullmatch(ln.norm):
            return "logo"
        tokens = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", ln.norm)
        if tokens and all(t in _SOCIAL for t in tokens) and (len(tokens) >= 2 or ln.words == 1):
            return "share_prompt"
    for reason, rx, max_words in _START_RE:
        if ln.words <= max_words and rx.match(ln.norm if reason in ("copyright", "news_id") else ln.core):
            return reason
    if ln.words <= _COPYRIGHT_MAX_WORDS and _COPYRIGHT.search(ln.norm):
        return "copyright"
    if _is_breadcrumb(ln):
        return "navigation"
    return None


def _is_periodic(text: str) -> bool:
    """True for a line that is one phrase written two to four times in a row ("TT", "TTT")."""
    compact = re.sub(r"[\W_]+", "", text)
    if len(compact) < 16:
        return False
    p = (compact + compact).find(compact, 1)
    return p < len(compact) and p >= 8 and len(compact) // p <= 4 and sum(c.isalpha() for c in compact[:p]) >= 5


def _is_name(ln: _Line) -> bool:
    """A short line that could be a site's name: no sentence, no figures (a "24" channel aside)."""
    return (ln.words <= 4 and len(ln.text) <= 40 and not ln.ends_sentence and not ln.ellipsis
            and not any(c.isdigit() for c in _CHANNEL_24.sub("", ln.norm)))


def _site_name(lines: list[_Line], reasons: dict[int, str], keep: set[int]) -> None:
    """A short name line at the very end: next to logo/URL/copyright furniture, the last line after
    any furniture (an ad label, a widget), or a media name ("… News") right after the body."""
    tail = [ln for ln in lines if ln.text]
    for k in range(len(tail) - 1, -1, -1):
        ln = tail[k]
        if ln.i in reasons:
            continue
        if not _is_name(ln) or ln.i in keep:
            return
        near = [tail[j] for j in (k - 1, k + 1) if 0 <= j < len(tail)]
        last_after = k == len(tail) - 1 and k > 0 and tail[k - 1].i in reasons
        by_furniture = last_after or any(reasons.get(n.i) in ("logo", "url", "copyright") for n in near)
        media = k > 0 and tail[k - 1].is_body and any(w in _MEDIA_WORDS for w in ln.norm.split())
        if by_furniture or media:
            reasons[ln.i] = "site_name"
        return


def _is_headline(ln: _Line, max_words: int = 12) -> bool:
    return ln.words <= max_words and not ln.ends_sentence and not ln.ellipsis


def _is_block_start(ln: _Line, reason: str | None) -> bool:
    """A bare widget heading ("Read also", "مطالب مرتبط") or an end marker; an inline
    "Read also: <title>" is one teaser on its own, not the head of a list."""
    if reason == "end_marker":
        return True
    return reason in _BLOCK_STARTS and bool(_FULL_RE[reason].fullmatch(ln.core))


def _blocks(lines: list[_Line], reasons: dict[int, str], keep: set[int]) -> None:
    """Teaser lines after a see-also/most-read heading or an end marker, up to the next body paragraph.

    A long line ending in "…" counts as a teaser summary only right after a teaser headline, so a
    body paragraph that trails off with an ellipsis is not mistaken for one.  A short name as the
    last line after a summary is the site's name, left for :func:`_site_name`.
    """
    starts = [k for k, ln in enumerate(lines) if _is_block_start(ln, reasons.get(ln.i))]
    for h in starts:
        after_headline = after_summary = False
        rest = [ln for ln in lines[h + 1:] if ln.text and ln.i not in reasons]
        for n, ln in enumerate(rest):
            summary = ln.ellipsis and (after_headline or ln.words < _BODY_WORDS)
            teaser_head = _is_headline(ln, 20)
            if ln.i in keep or ln.is_body or (ln.words >= _BODY_WORDS and not summary and not teaser_head):
                break
            if after_summary and n == len(rest) - 1 and _is_name(ln):
                break
            reasons[ln.i] = "related_block"
            after_headline, after_summary = teaser_head, summary
    # Headline + "…" summary pairs at the very end are a widget even without a heading.
    run: list[_Line] = []
    for ln in reversed(lines):
        if not ln.text or ln.i in reasons:
            continue
        if ln.i in keep or not (_is_headline(ln) or ln.ellipsis) or ln.words > 60:
            break
        run.append(ln)
    run.reverse()
    pairs = sum(1 for x, y in zip(run, run[1:], strict=False) if _is_headline(x) and y.ellipsis)
    if pairs >= 2:
        for ln in run:
            reasons[ln.i] = "related_block"


def _kept_top(lines: list[_Line], reasons: dict[int, str]) -> tuple[int, set[int]]:
    """The title line (first real line) and date-like lines above the first body paragraph.

    These belong to the metadata stage, which decides what to do with them.
    """
    real = [ln for ln in lines if ln.text and ln.i not in reasons]
    if not real:
        return -1, set()
    keep = {real[0].i}
    if len(real) > 1 and real[0].words <= 8 and _DATELIKE.search(real[0].norm):
        real = real[1:]  # a dateline above the title
        keep.add(real[0].i)
    for ln in lines:
        if ln.is_body:
            break
        if ln.text and ln.words <= 8 and ln.i not in reasons and _DATELIKE.search(ln.norm):
            keep.add(ln.i)
    return real[0].i, keep


def _structural(lines: list[_Line], known: dict[int, str], title_norm: str | None) -> dict[int, str]:
    """Reasons that depend on position and neighbours: title repeats, site names, widget blocks."""
    reasons = {ln.i: known[ln.i] for ln in lines if ln.i in known}
    before = set(reasons)
    title_i, keep = _kept_top(lines, reasons)
    titles = {title_norm} if title_norm else set()
    if title_i >= 0:
        titles.add(next(ln.norm for ln in lines if ln.i == title_i))
    seen: set[str] = set()
    for ln in lines:
        if ln.text and ln.i not in reasons and ln.i not in keep and (
                (ln.norm in titles and ln.norm in seen) or _is_periodic(ln.text)):
            reasons[ln.i] = "repeated_title"
        seen.add(ln.norm)
    _site_name(lines, reasons, keep)
    _blocks(lines, reasons, keep)
    _site_name(lines, reasons, keep)
    return {i: r for i, r in reasons.items() if i not in before}


def strip_boilerplate(text: str, title: str | None = None) -> tuple[str, list[RemovedLine]]:
    """Return the report text without site furniture, and every removed line with its reason.

    Lines are removed whole, except glued image-file tokens (a 32-hex id or
    ``name.jpg`` stuck to a sentence), which are cut out of the line.  Runs of
    blank lines collapse to one; paragraph breaks stay.
    """
    raw_lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    lines = [_features(i, raw) for i, raw in enumerate(raw_lines)]
    reasons: dict[int, str] = {}
    for ln in lines:
        reason = _pattern_reason(ln)
        if reason:
            reasons[ln.i] = reason
    title_norm = normalize(title) if title and title.strip() else None
    # Structural rules depend on neighbours; re-run them on what is left until nothing changes,
    # so that cleaning the output again removes nothing (idempotence).
    reasons.update(_structural(lines, reasons, title_norm))
    for _ in range(8):
        found = _structural([ln for ln in lines if ln.i not in reasons], {}, title_norm)
        if not found:
            break
        reasons.update(found)

    removed: list[RemovedLine] = []
    out: list[str] = []
    for ln in lines:
        if ln.i in reasons:
            removed.append(RemovedLine(line=ln.raw, reason=reasons[ln.i], index=ln.i))
            continue
        kept, tokens = _cut_image_tokens(ln.raw.rstrip())
        removed.extend(RemovedLine(line=t, reason="image_token", index=ln.i) for t in tokens)
        if not kept.strip():
            if out and out[-1]:
                out.append("")
            continue
        out.append(kept)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out), removed


def _cut_image_tokens(line: str) -> tuple[str, list[str]]:
    """Cut image ids/file names glued to text, keeping the sentence they were stuck to."""
    if not _IMG_TOKEN.search(line):
        return line, []
    indent = line[: len(line) - len(line.lstrip())]
    body = line.lstrip()
    tokens = []
    while m := _IMG_TOKEN.search(body):
        tokens.append(m.group())
        before, after = body[: m.start()], body[m.end():]
        if before.endswith(" ") or not before:
            after = after.lstrip(" _-|")
        elif after and not after.startswith(" "):
            before += " "
        body = before + after
    return indent + body, tokens

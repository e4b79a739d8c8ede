"""Decoding bytes: encodings round-trip, declared charsets are verified, junk is rejected clearly."""

from __future__ import annotations

import gzip
import io
import random
import re
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.errors import BinaryInput, EmptyInput
from rasd.text.decode import decode_bytes, looks_like_html

# Sentences written for these tests.
AR = "قال المتحدث باسم الوزارة إن الوفد سيصل إلى المدينة يوم الخميس، وإن الاجتماع سيبحث الوضع الاقتصادي."
AR_QUOTES = "وأضاف المسؤول: «لن نقبل بهذا القرار»، مؤكداً أن الحوار هو الطريق الوحيد؟"
AR_SHORT = "وصل الوفد إلى المدينة مساء اليوم."
FA = "سخنگوی وزارت گفت که هیئت روز پنجشنبه به شهر می‌رسد و درباره وضع اقتصادی گفتگو می‌کند."
# Persian as typed with an Arabic keyboard layout (Arabic yeh): what Windows-1256 can hold
FA_1256 = "سخنگوي وزارت گفت كه هيئت روز پنجشنبه به شهر مي‌رسد و درباره وضع اقتصادي گفتگو مي‌كند."
FR = "L'élève a reçu « un prix » à Noël : c'est très bien, dit-elle — naïve façade, œuvre complète."
EN = "The delegation will arrive on Thursday, the spokesman said."

ROUND_TRIPS = [
    *[(s, enc) for s in (AR, AR_QUOTES, FA) for enc in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                                         "utf-32", "utf-32-le")],
    (AR, "cp1256"), (AR_QUOTES, "cp1256"), (AR_SHORT, "cp1256"), (FA_1256, "cp1256"),
    (AR, "iso-8859-6"), (AR_SHORT, "iso-8859-6"),
    (AR, "mac_arabic"), (AR_QUOTES, "mac_arabic"), (AR_SHORT, "mac_arabic"),
    (FR, "cp1252"), (FR.replace("œ", "oe").replace("—", "-"), "latin-1"), (EN, "ascii"),
]


@pytest.mark.parametrize(("text", "encoding"), ROUND_TRIPS, ids=[f"{e}-{i}" for i, (_, e) in enumerate(ROUND_TRIPS)])
def test_round_trip(text, encoding):
    data = text.encode(encoding)
    decoded, name = decode_bytes(data)
    assert decoded == text
    assert name


@pytest.mark.parametrize(("encoding", "expected"), [("cp1256", "cp1256"), ("iso-8859-6", "iso8859-6"),
                                                    ("mac_arabic", "mac-arabic"), ("utf-16-le", "utf-16-le"),
                                                    ("utf-16-be", "utf-16-be")])
def test_legacy_encoding_is_named(encoding, expected):
    assert decode_bytes(AR.encode(encoding))[1] == expected


@pytest.mark.parametrize(("bom", "encoding", "name"), [
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
])
def test_bom_variants_strip_the_bom(bom, encoding, name):
    text, enc = decode_bytes(bom + AR.encode(encoding))
    assert text == AR
    assert enc == name
    assert not text.startswith("\ufeff")


def test_utf16_without_bom_short_arabic_and_english():
    assert decode_bytes("مرحبا بالعالم".encode("utf-16-le")) == ("مرحبا بالعالم", "utf-16-le")
    assert decode_bytes(EN.encode("utf-16-be")) == (EN, "utf-16-be")


def test_utf8_preferred_when_it_decodes():
    # pure UTF-8 wins even when every legacy code page also decodes the bytes
    assert decode_bytes(FR.encode("utf-8")) == (FR, "utf-8")
    assert decode_bytes(b"plain ascii") == ("plain ascii", "ascii")


def test_invalid_utf8_bytes_are_replaced_not_fatal():
    data = AR.encode() + b" \xff\xfe\xc3 " + AR.encode() + b"\xe2\x82"
    text, enc = decode_bytes(data)
    assert enc == "utf-8(replaced)"
    assert "\ufffd" in text
    assert text.startswith(AR) and AR in text[len(AR):]


def test_newlines_normalised():
    assert decode_bytes(b"a\r\nb\rc\n")[0] == "a\nb\nc\n"
    assert decode_bytes("سطر\r\nسطر".encode("utf-16"))[0] == "سطر\nسطر"


class TestDeclared:
    def test_correct_declaration_used(self):
        assert decode_bytes(AR.encode("cp1256"), declared="windows-1256") == (AR, "cp1256")

    def test_wrong_latin1_label_on_arabic_is_overruled(self):
        assert decode_bytes(AR.encode("cp1256"), declared="iso-8859-1") == (AR, "cp1256")

    def test_legacy_label_on_valid_utf8_is_overruled(self):
        assert decode_bytes(AR.encode("utf-8"), declared="windows-1256") == (AR, "utf-8")

    def test_utf8_label_on_legacy_bytes_is_overruled(self):
        assert decode_bytes(AR.encode("mac_arabic"), declared="utf-8") == (AR, "mac-arabic")

    def test_unknown_label_ignored(self):
        assert decode_bytes(AR.encode("cp1256"), declared="no-such-charset")[0] == AR

    def test_declared_utf16_without_bom(self):
        assert decode_bytes(FA.encode("utf-16-be"), declared="UTF-16BE") == (FA, "utf-16-be")


class TestRejected:
    @pytest.mark.parametrize("data", [b"", b"   ", b" \r\n\t \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n",
                                      "  \n ".encode("utf-16"), "\u200c\u200f ".encode("utf-8")])
    def test_empty(self, data):
        with pytest.raises(EmptyInput):
            decode_bytes(data, source="x.txt")

    def test_empty_message_names_source(self):
        with pytest.raises(EmptyInput, match="x.txt"):
            decode_bytes(b"  ", source="x.txt")

    @staticmethod
    def _zip() -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("a.txt", AR)
        return buf.getvalue()

    @pytest.mark.parametrize(("data", "kind"), [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x7fELF\x02\x01\x01" + bytes(40), "ELF"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
    ])
    def test_magic_numbers(self, data, kind):
        with pytest.raises(BinaryInput, match=kind):
            decode_bytes(data)

    def test_real_gzip_and_zip(self):
        with pytest.raises(BinaryInput, match="gzip"):
            decode_bytes(gzip.compress(AR.encode()))
        with pytest.raises(BinaryInput, match="ZIP"):
            decode_bytes(self._zip())

    def test_random_bytes_with_nuls(self):
        data = random.Random(7).randbytes(8192)
        assert b"\x00" in data
        with pytest.raises(BinaryInput, match="NUL"):
            decode_bytes(data)

    def test_random_bytes_without_nuls_are_control_heavy(self):
        data = bytes(b for b in random.Random(8).randbytes(8192) if b)
        with pytest.raises(BinaryInput, match="control"):
            decode_bytes(data)

    def test_text_with_embedded_nuls_is_binary(self):
        with pytest.raises(BinaryInput):
            decode_bytes(b"abc\x00def\x00ghi\x00" * 50)

    def test_single_stray_nul_in_long_text_is_not_binary(self):
        text, enc = decode_bytes(AR.encode() * 50 + b"\x00")
        assert enc == "utf-8" and text.startswith(AR)


def test_seed_reports_round_trip_through_legacy_code_pages(seed_texts):
    for key, text in seed_texts.items():
        for enc in ("cp1256", "iso-8859-6", "mac_arabic", "utf-16-le"):
            data = text.encode(enc, errors="ignore")  # what the code page can hold of the report
            expected = data.decode(enc).replace("\r\n", "\n").replace("\r", "\n")
            decoded, name = decode_bytes(data)
            assert decoded == expected, (key, enc, name)


def test_large_input_decodes_quickly():
    line = (AR + "\n").encode("cp1256")
    data = line * (5_000_000 // len(line))
    start = time.perf_counter()
    text, enc = decode_bytes(data)
    assert enc == "cp1256"
    assert len(text) == len(data)
    utf8 = text.encode("utf-8")
    assert decode_bytes(utf8)[1] == "utf-8"
    assert time.perf_counter() - start < 10


@given(st.text(st.characters(categories=("L", "M", "N", "P", "Zs")), min_size=1, max_size=200)
       .filter(lambda s: s.strip()))
@settings(max_examples=200, deadline=None)
def test_valid_utf8_always_decodes_exactly(text):
    assert decode_bytes(text.encode("utf-8"))[0] == text


VOCAB = re.findall(r"\S+", "قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة بعد توقف دام شهرين وأكد المتحدث "
                   "أن الحكومة لن تتراجع عن قرارها وأضاف مصدر مسؤول للصحفيين يوم الثلاثاء مع الوفد الشركة أعلنت عن أرباح "
                   "كبيرة هذا العام رغم الأزمة الاقتصادية التي تمر بها البلاد منذ سنوات")


@given(st.lists(st.sampled_from(VOCAB), min_size=3, max_size=30, unique=True).map(" ".join),
       st.sampled_from(["cp1256", "iso-8859-6", "mac_arabic", "utf-16-le", "utf-16-be"]))
@settings(max_examples=150, deadline=None)
def test_arabic_sentences_round_trip_in_every_encoding(text, encoding):
    assert decode_bytes(text.encode(encoding))[0] == text


def test_single_arabic_word_in_utf16_without_bom():
    # no NUL at all (no spaces): the 0x06 byte lane gives it away, not a control-character flood
    assert decode_bytes("قال".encode("utf-16-le")) == ("قال", "utf-16-le")


class TestLooksLikeHtml:
    @pytest.mark.parametrize("text", [
        "<!DOCTYPE html><html><head><title>t</title></head><body><p>نص</p></body></html>",
        "\n  <html lang='ar' dir='rtl'><body>نص</body></html>",
        "<?xml version='1.0'?>\n<!-- c --><html><body/></html>",
        "<div class='a'><p>واحد</p><p>اثنان</p><span>ثلاثة</span><a href='/x'>رابط</a></div>",
        "<BODY><P>Upper-case markup</P></BODY>",
    ])
    def test_html(self, text):
        assert looks_like_html(text)

    @pytest.mark.parametrize("text", [
        AR, "if a < b and b > c then a < c", "Write <br> to break a line, said the guide.",
        "السعر < 100 دولار و > 50 دولاراً", "<<< تحديث >>> خبر عاجل", "",
    ])
    def test_not_html(self, text):
        assert not looks_like_html(text)

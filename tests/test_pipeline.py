"""Stage registry and pipeline mechanics: nothing disappears, errors become reasons."""

import pytest

from rasd.errors import ConfigError, EmptyInput
from rasd.pipeline import DEFAULT_INGEST, REGISTRY, Pipeline, Stage, make_stage, register
from rasd.records import Article, RawDocument, Rejection


@register("test_upper", suffix="")
class Upper(Stage):
    """Upper-case the text (test stage)."""

    def process(self, art: Article) -> Article:
        if not art.text:
            raise EmptyInput("nothing to upper-case", source=art.source)
        art.text = art.text.upper() + self.config["suffix"]
        return art


def test_default_stages_are_registered_with_docs():
    make_stage("decode")  # loads the registry
    for name in DEFAULT_INGEST:
        assert name in REGISTRY and REGISTRY[name].doc


def test_stage_errors_become_rejections_and_other_items_pass_through():
    items = [Article(id="1", source="a", text="abc"), Article(id="2", source="b", text=""),
             Rejection("c", "binary"), RawDocument(source="d", kind="text", data=b"x")]
    out = list(Pipeline([make_stage("test_upper", suffix="!")]).run(items))
    assert len(out) == len(items)
    assert out[0].text == "ABC!"
    assert isinstance(out[1], Rejection) and out[1].reason == "empty" and out[1].source == "b"
    assert out[2] == items[2] and out[3] is items[3]


def test_config_is_validated():
    with pytest.raises(ConfigError):
        make_stage("no_such_stage")
    with pytest.raises(ConfigError):
        make_stage("test_upper", colour="red")
    with pytest.raises(ConfigError):
        register("test_upper")(Upper)


def test_default_pipeline_turns_raw_text_into_an_article():
    from rasd.pipeline import default_pipeline

    raw = RawDocument(source="mem.txt", kind="text",
                      data="عنوان الخبر\n\nقال مسؤول محلي إن الأمطار الغزيرة تسببت في فيضانات واسعة في المدينة.\n"
                      .encode())
    pipe = default_pipeline()
    art = pipe.process_one(raw)
    assert isinstance(art, Article)
    assert art.title == "عنوان الخبر" and art.lang == "ar" and art.content_hash and art.id
    assert art.sentences and all(art.text[s.start:s.end] == s.text for s in art.sentences)
    assert set(pipe.timings()) == set(DEFAULT_INGEST)
    empty = pipe.process_one(RawDocument(source="e.txt", kind="text", data=b"   \n"))
    assert isinstance(empty, Rejection) and empty.reason == "empty"

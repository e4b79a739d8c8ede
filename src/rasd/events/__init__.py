"""Rasd events: PLOVER-style frames (who did what to whom, where, when, how sure) in ar/fa/en.

* :func:`extract_events` — frames of one article, with evidence sentences and attribution chains;
* :func:`merge_events` — the same event from several reports, with conflicting details kept;
* :func:`timeline` / :func:`filter_events` — ordered views per story, entity or place;
* :func:`to_acled_rows` / :func:`write_csv` / :func:`write_jsonl` — exports.
"""

from .extract import extract_events, extract_sentence
from .frames import EventFrame, frame_from_dict, frame_to_dict
from .merge import merge_events, same_event
from .timeline import (
           ACLED_COLUMNS,
           filter_events,
           timeline,
           to_acled_rows,
           to_csv_text,
           write_csv,
           write_jsonl,
)

__all__ = ["ACLED_COLUMNS", "EventFrame", "extract_events", "extract_sentence", "filter_events", "frame_from_dict",
           "frame_to_dict", "merge_events", "same_event", "timeline", "to_acled_rows", "to_csv_text", "write_csv",
           "write_jsonl"]

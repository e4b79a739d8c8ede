"""Online cross-language story clustering: each stored article joins a story (or starts one); stories form topics.

    from rasd import stories
    a = stories.assign(store, article)          # after store.put_article; idempotent on re-ingest
    stories.recluster(store)                    # the same algorithm over everything, ids kept stable
    stories.list_stories(store); stories.story_view(store, "s...", encoder)
    stories.analysis.refresh(store, encoder)    # store summaries/additions/relations that are missing or stale

Signals, calibration and thresholds: :mod:`rasd.stories.model`; the assignment
step: :mod:`rasd.stories.cluster`; persistence: :mod:`rasd.stories.storage`; what views show (computed
when a story changes, stored with it): :mod:`rasd.stories.analysis`.
"""

from __future__ import annotations

from .api import assign, features, recluster
from .cluster import Assignment, Clusterer, cluster_all
from .features import ArticleFeatures
from .model import PARAMS, Params
from .view import StoryView, export_rows, list_stories, resolve_id, story_view

__all__ = ["assign", "features", "recluster", "Assignment", "Clusterer", "cluster_all", "ArticleFeatures",
           "PARAMS", "Params", "StoryView", "export_rows", "list_stories", "resolve_id", "story_view"]

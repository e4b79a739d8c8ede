"""Schema migrations, registered in code and recorded in the database.

A migration is appended, never edited: a database records which versions it has
and :func:`migrate` applies the missing ones in order, each in one transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


SQLITE_MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "articles, versions, full-text index, runs, rejections, feed state",
        """
        CREATE TABLE articles (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL DEFAULT 1,
            content_hash TEXT NOT NULL,
            source TEXT NOT NULL,
            url TEXT,
            fetched_at TEXT,
            ingested_at TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'und',
            title TEXT NOT NULL DEFAULT '',
            published TEXT,
            outlet TEXT NOT NULL DEFAULT '',
            date_doubtful INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );
        CREATE INDEX articles_content_hash ON articles(content_hash);
        CREATE INDEX articles_lang ON articles(lang);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_url ON articles(url);

        CREATE TABLE article_versions (
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            replaced_at TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (id, version)
        );

        -- stemmed, normalised tokens (rasd.text.normalize.index_token_groups); rowid = articles.rowid.
        -- title and body hold one token per word, so phrases line up; alt holds the clitic-stripped
        -- alternatives, so single-word queries also find the word behind a proclitic
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, alt, tokenize = 'unicode61 remove_diacritics 0'
        );

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            counts TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE rejections (
            run_id INTEGER NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        );
        CREATE INDEX rejections_run ON rejections(run_id);

        CREATE TABLE feed_state (
            url TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "watchlists, alerts and API tokens",
        """
        CREATE TABLE watchlists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            keywords TEXT NOT NULL DEFAULT '[]',
            languages TEXT NOT NULL DEFAULT '[]',
            outlets TEXT NOT NULL DEFAULT '[]',
            entities TEXT NOT NULL DEFAULT '[]',
            webhook_url TEXT,
            email TEXT,
            created_at TEXT NOT NULL
        );

        -- one alert per (watchlist, article); delivery state and an attempt log kept in the row
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL,
            matched TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            delivered_at TEXT,
            channels_done TEXT NOT NULL DEFAULT '[]',
            last_error TEXT NOT NULL DEFAULT '',
            log TEXT NOT NULL DEFAULT '[]',
            UNIQUE (watchlist_id, article_id)
        );
        CREATE INDEX alerts_status ON alerts(status, next_attempt_at);

        -- bearer tokens for state-changing API calls; only the SHA-256 of a token is stored
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT 'admin',
            created_at TEXT NOT NULL,
            last_used_at TEXT
        );
        """,
    ),
    Migration(
        10,
        "link: sentence/document embeddings, MinHash signatures, links between reports",
        """
        -- float32 little-endian blobs; one row per (article, content hash, encoder)
        CREATE TABLE embeddings (
            article_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            encoder TEXT NOT NULL,
            dim INTEGER NOT NULL,
            n_sentences INTEGER NOT NULL,
            doc BLOB NOT NULL,
            sentences BLOB NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (article_id, content_hash, encoder)
        );
        CREATE INDEX embeddings_encoder ON embeddings(encoder);

        -- uint64 MinHash signature of normalised word shingles (near-duplicate search)
        CREATE TABLE minhashes (
            article_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'und',
            signature BLOB NOT NULL,
            PRIMARY KEY (article_id, content_hash)
        );

        -- a relation found between two reports; a < b, direction names the likely original
        CREATE TABLE links (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            relation TEXT NOT NULL,
            score REAL NOT NULL,
            original TEXT,
            evidence TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX links_b ON links(b);
        """,
    ),
    Migration(
        60,
        "entity mentions per article (current version only)",
        """
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            entity_id TEXT,
            PRIMARY KEY (article_id, start, "end")
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        """,
    ),
    Migration(
        40,
        "events: frames, their evidence sentences and entities",
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            date TEXT,
            place TEXT,
            modality TEXT NOT NULL DEFAULT 'asserted',
            negated INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );
        CREATE INDEX events_type_date ON events(type, date);
        CREATE INDEX events_place ON events(place);
        CREATE TABLE event_articles (
            event_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            sentence INTEGER NOT NULL,
            PRIMARY KEY (event_id, article_id, sentence)
        );
        CREATE INDEX event_articles_article ON event_articles(article_id);
        CREATE TABLE event_entities (
            event_id TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (event_id, entity_id, role)
        );
        CREATE INDEX event_entities_entity ON event_entities(entity_id);
        """,
    ),
    Migration(
        30,
        "stories: story and topic aggregates, members, events, redirects, term/entity frequencies",
        """
        -- one row per story; state holds the running aggregates (JSON), centroid the summed vectors
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            topic_id TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            headline TEXT NOT NULL DEFAULT '',
            n_articles INTEGER NOT NULL DEFAULT 0,
            languages TEXT NOT NULL DEFAULT '[]',
            outlets TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT,
            last_updated TEXT,
            earliest_article_id TEXT,
            first_day REAL,
            last_day REAL,
            centroid BLOB,
            state TEXT NOT NULL DEFAULT '{}',
            summary TEXT NOT NULL DEFAULT '[]',
            summary_n INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_status_last ON stories(status, last_updated);
        CREATE INDEX stories_topic ON stories(topic_id);
        CREATE TABLE topics (
            id TEXT PRIMARY KEY,
            n_articles INTEGER NOT NULL DEFAULT 0,
            first_day REAL,
            last_day REAL,
            centroid BLOB,
            state TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL
        );
        -- the story of each article version, with the clusterer's features and why it went there
        CREATE TABLE story_members (
            article_id TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            content_hash TEXT NOT NULL DEFAULT '',
            probability REAL NOT NULL DEFAULT 0,
            signals TEXT NOT NULL DEFAULT '{}',
            features TEXT NOT NULL DEFAULT '{}',
            relation TEXT,
            relation_to TEXT,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX story_members_story ON story_members(story_id);
        CREATE TABLE story_events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            story_id TEXT NOT NULL,
            other_id TEXT,
            reason TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX story_events_story ON story_events(story_id);
        CREATE TABLE story_redirects (
            old_id TEXT PRIMARY KEY,
            new_id TEXT NOT NULL,
            at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE story_df (
            key TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        );
        """,
    ),
    Migration(
        50,
        "bulk: per-shard completion of resumable bulk jobs",
        """
        -- one row per (job, shard); a shard marked 'done' is skipped when the job runs again
        CREATE TABLE bulk_progress (
            job TEXT NOT NULL,
            shard TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            counts TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (job, shard)
        );
        """,
    ),
    Migration(
        70,
        "watch: the feeds `rasd watch --from-store` polls",
        """
        -- rasd.watch.feeds created this table itself before it had a migration, hence IF NOT EXISTS
        CREATE TABLE IF NOT EXISTS watch_feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        """,
    ),
]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: sqlite3.Connection, migrations: list[Migration] = SQLITE_MIGRATIONS) -> list[int]:
    """Apply the migrations this database lacks; return the versions applied."""
    done = applied_versions(conn)
    applied = []
    for m in sorted(migrations, key=lambda m: m.version):
        if m.version in done:
            continue
        # executescript commits first; wrap in an explicit transaction so a failure leaves nothing half-done
        conn.executescript(
            "BEGIN;\n" + m.sql + "\nINSERT INTO schema_migrations(version, name, applied_at) "
            f"VALUES ({m.version}, '{m.name.replace(chr(39), chr(39) * 2)}', '{now()}');\nCOMMIT;"
        )
        applied.append(m.version)
    return applied

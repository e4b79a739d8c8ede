"""End to end in a real browser: `rasd serve` in a subprocess, Debian's chromium through Playwright.

Skipped cleanly when Playwright or chromium is missing. Screenshots go to a temporary folder
(or $RASD_SCREENSHOTS when set, to look at the RTL layout by eye).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support.articles import WEB_ARTICLES, WEB_PAIR, pair_ids

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("RASD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
NEW_REPORT = ("مهرجان الكتاب يمدد أيامه بسبب الإقبال الكبير\n\n"
              "أعلنت إدارة مهرجان الكتاب تمديد فعالياته ثلاثة أيام إضافية بعد إقبال كبير من الزوار.\n"
              "وقالت الإدارة إن عدد الزوار تجاوز التوقعات منذ اليوم الأول للمهرجان.\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(web_db, tmp_path):
    yield from _serve(web_db)


@pytest.fixture
def pair_server(pair_db):
    yield from _serve(pair_db)


def _serve(db):
    from rasd.api.auth import create_token
    from rasd.store.base import open_store

    with open_store(db) as store:
        token = create_token(store, name="browser test")
    port = _free_port()
    env = os.environ | {"RASD_ALERT_BACKOFF": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "rasd.cli.main", "--db", str(db), "serve", "--port", str(port),
                             "--log-level", "warning"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/api/articles", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("rasd serve did not start: " + (proc.stdout.read() or b"").decode(errors="replace"))
        time.sleep(0.1)
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def page(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        except Exception as exc:  # a broken browser install is an environment problem, not a failure
            pytest.skip(f"chromium does not start: {exc}")
        pg = browser.new_page(viewport={"width": 1100, "height": 900})
        yield pg
        browser.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    d = Path(os.environ.get("RASD_SCREENSHOTS") or tmp_path / "shots")
    d.mkdir(parents=True, exist_ok=True)
    return d


def test_read_search_watch_alert(server, page, shots):
    base, token = server
    ar_title, fa_title = WEB_ARTICLES[0][1], WEB_ARTICLES[1][1]

    # article list, newest first
    page.goto(base + "/")
    titles = page.locator("ol.articles a.title").all_inner_texts()
    assert titles[:2] == [fa_title, ar_title]
    page.screenshot(path=str(shots / "1-list.png"), full_page=True)

    # an Arabic article: RTL text block, removed lines folded
    page.click(f"text={ar_title}")
    page.wait_for_selector("article.report")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.eval_on_selector("article.report .text p", "p => getComputedStyle(p).direction") == "rtl"
    assert page.eval_on_selector("header.top", "h => getComputedStyle(h).direction") == "ltr"
    assert not page.is_visible("details.removed li")  # folded until opened
    page.click("details.removed summary")
    assert page.is_visible("text=شارك هذا الخبر")
    page.screenshot(path=str(shots / "2-article-ar.png"), full_page=True)

    # Arabic search with highlighted snippets
    page.goto(base + "/search")
    page.fill("input[name=q]", "الكتاب")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ol.hits")
    assert page.locator("ol.hits li").count() == 2
    assert page.locator("p.snippet mark").count() >= 2
    page.screenshot(path=str(shots / "3-search.png"), full_page=True)

    # create a watchlist through the page (token kept in localStorage)
    page.goto(base + "/watchlists")
    page.fill("#token", token)
    page.fill("input[name=name]", "مهرجانات")
    page.fill("textarea[name=keywords]", "مهرجان")
    page.fill("input[name=languages]", "ar")
    with page.expect_navigation():
        page.click("#new-watchlist button[type=submit]")
    assert page.locator("table.watchlists tbody tr").first.inner_text().startswith("مهرجانات")

    # a matching article arrives through the API; the alert shows on the page
    r = httpx.post(base + "/api/ingest", headers={"Authorization": f"Bearer {token}"},
                   files={"file": ("festival.txt", NEW_REPORT.encode(), "text/plain")}, timeout=60)
    assert r.status_code == 200, r.text
    assert len(r.json()["alerts"]) == 1
    page.reload()
    alert = page.locator("ol.alerts li.alert").first
    assert "مهرجان الكتاب يمدد أيامه" in alert.inner_text()
    page.screenshot(path=str(shots / "4-watchlists.png"), full_page=True)
    assert len(list(shots.glob("*.png"))) == 4


def test_highlights_compare_entity_map(pair_server, page, shots):
    base, _token = pair_server
    ar, fa = pair_ids()

    # an Arabic article: entity highlights link to entity pages; speakers underlined; chains and related aside
    page.goto(f"{base}/articles/{ar}")
    page.wait_for_selector("article.report mark.ent")
    assert page.locator("article.report .text mark.ent-loc").count() >= 2
    assert page.locator("article.report .text a.ent-link").first.get_attribute("href").startswith("/entities/")
    assert page.eval_on_selector(".att-speaker", "e => getComputedStyle(e).textDecorationLine") == "underline"
    assert page.eval_on_selector("article.report .text p", "p => getComputedStyle(p).direction") == "rtl"
    # the side panel sits at the inline end of the RTL layout: left of the text, inside the viewport
    text_box = page.locator("article.report").bounding_box()
    side_box = page.locator("aside.side").bounding_box()
    assert side_box["x"] + side_box["width"] <= text_box["x"] + 1 and side_box["x"] >= 0
    assert page.locator("aside.side .related li").count() >= 1, page.inner_text("aside.side .related")
    assert page.locator("aside.side ul.tree li").count() >= 2
    page.screenshot(path=str(shots / "5-article-entities.png"), full_page=True)

    # compare through the related box: aligned rows side by side, right-to-left
    page.click("aside.side a.compare")
    page.wait_for_selector("table.compare")
    rows = page.locator("table.compare tbody tr.pair")
    assert rows.count() == 3
    first = rows.first.locator("td")
    assert first.nth(0).inner_text().strip() == WEB_PAIR[0][4].split("\n")[0]
    assert first.nth(2).inner_text().strip() == WEB_PAIR[1][4].split("\n")[0]
    a_box, b_box = first.nth(0).bounding_box(), first.nth(2).bounding_box()
    assert a_box["x"] > b_box["x"]  # RTL table: side A on the right
    assert b_box["x"] >= 0 and a_box["x"] + a_box["width"] <= 1100
    assert page.eval_on_selector("table.compare td.a", "e => getComputedStyle(e).direction") == "rtl"
    page.screenshot(path=str(shots / "6-compare.png"), full_page=True)

    # an entity page with its SVG map
    page.goto(f"{base}/articles/{ar}")
    page.click("article.report .text a.ent-link >> nth=1")
    page.wait_for_selector("svg.map")
    assert page.locator("svg.map g.pt.main circle").count() == 1
    assert page.locator("svg.map line.grid").count() >= 4
    box = page.locator("svg.map").bounding_box()
    assert box["width"] > 300 and box["x"] >= 0
    assert page.locator("section.named-in li").count() == 2
    page.screenshot(path=str(shots / "7-entity.png"), full_page=True)

    # the provenance graph
    page.goto(f"{base}/provenance?ids={ar},{fa}")
    page.wait_for_selector("svg.graph")
    assert page.locator("svg.graph g.node").count() >= 4 and page.locator("svg.graph path.edge").count() >= 3
    page.screenshot(path=str(shots / "8-provenance.png"), full_page=True)

"""Opening each page type of the public site in Chromium, and finding the ones still being built.

Pages whose URL names are stable (home, search, item, collection) come from `reverse()`.
Browse pages, the about page and the accessibility statement are found the way a visitor
finds them: URL names in the URLconf that mention them, and links from the home page (and,
for browse pages with arguments, links from the browse pages themselves). If none is found
the assumed address is tried, so a missing page fails with a 404 that says what was assumed.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from .conftest import (
    SEARCH_WORD,
    DemoSite,
    Watched,
    reverse_in,
    url_names_matching,
    view_name_of,
)

PAGE_TYPES = [
    "home",
    "search-results",
    "search-no-results",
    "search-filtered",
    "item-image",
    "item-no-image",
    "item-uncertain-date",
    "collections",
    "collection",
    "contact",
    "site-map",
    "browse",
    "about",
    "accessibility",
    "not-found",
]

# What to look for when a page type has no fixed URL name yet: words in URL names/routes,
# words in link text, and the address assumed when nothing is found.
DISCOVERED = {
    "browse": {
        "words": ("browse", "przegladaj"),
        "link_text": (),
        "assumed": "/{language}/browse/",
    },
    "about": {
        "words": ("about", "o-archiwum", "o-nas"),
        "link_text": ("about", "o archiwum", "o nas", "o kronice"),
        "assumed": "/{language}/about/",
    },
    "accessibility": {
        "words": ("accessibility", "dostepnosc"),
        "link_text": ("accessibility", "dostępności", "dostepnosci"),
        "assumed": "/{language}/accessibility/",
    },
}
MAX_BROWSE_PAGES = 12
AXE_REPORTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "axe"


def _same_site_links(page, site: DemoSite, selector: str = "a[href]") -> list[tuple[str, str]]:
    """(path with query, link text) of every link on the page to the live server."""
    links = page.eval_on_selector_all(
        selector, "links => links.map(a => [a.href, (a.textContent || '').trim()])"
    )
    found = []
    for href, text in links:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != site.url:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if (path, text) not in found:
            found.append((path, text))
    return found


def discover(page, site: DemoSite, language: str, kind: str) -> tuple[list[str], str]:
    """Paths of a page type that may not exist yet, and how they were found (for messages)."""
    spec = DISCOVERED[kind]
    words = spec["words"]
    paths: list[str] = []
    for name in url_names_matching(*words):
        if name.startswith("admin:"):
            continue  # the admin's own pages (e.g. an alt-text report) are not public pages
        path = reverse_in(language, name)
        if path and path.startswith(f"/{language}/") and path not in paths:
            paths.append(path)
    page.goto(site.absolute(site.path(language, "home")))
    for path, text in _same_site_links(page, site):
        name = view_name_of(path).lower()
        if name.startswith("admin:"):
            continue
        by_name = any(word in name for word in words)
        by_text = any(word in text.lower() for word in spec["link_text"])
        if (by_name or by_text) and path.startswith(f"/{language}/") and path not in paths:
            paths.append(path)
    if kind == "browse":
        paths = _browse_pages_below(page, site, paths, words)
    if paths:
        return paths, f"found by URL names/links mentioning {', '.join(words)}"
    assumed = spec["assumed"].format(language=language)
    return [assumed], (
        f"no URL name or route mentions {' / '.join(words)} and the home page links to no such "
        f"page, so {assumed} was assumed"
    )


def _browse_pages_below(page, site: DemoSite, start: list[str], words) -> list[str]:
    """The browse pages plus one page of each further browse view they link to (a place,
    a subject, a decade…), so every browse page type is checked once."""
    paths = list(start)
    seen_views = {view_name_of(p) for p in paths}
    queue = list(start)
    while queue and len(paths) < MAX_BROWSE_PAGES:
        response = page.goto(site.absolute(queue.pop(0)))
        if response is None or response.status != 200:
            continue
        for path, _text in _same_site_links(page, site, "main a[href]"):
            view = view_name_of(path)
            if view and view not in seen_views and any(w in view.lower() for w in words):
                seen_views.add(view)
                paths.append(path)
                queue.append(path)
    return paths


def page_paths(page, site: DemoSite, language: str, page_type: str) -> tuple[list[str], str]:
    if page_type in DISCOVERED:
        return discover(page, site, language, page_type)
    return [site.path(language, page_type)], "from reverse()"


def open_page(watched: Watched, site: DemoSite, language: str, page_type: str, path: str):
    """Opens a page and checks it is the page the test means to look at."""
    page = watched.page
    response = page.goto(site.absolute(path), wait_until="load")
    assert response is not None, f"{path}: no response"
    expected = 404 if page_type == "not-found" else 200
    if page_type in DISCOVERED and response.status == 404:
        pytest.fail(
            f"{page_type} page ({language}): GET {path} -> 404. It does not exist yet or is "
            f"not where it was looked for; {page_type} pages are found by URL names or "
            f"home-page links mentioning {', '.join(DISCOVERED[page_type]['words'])}."
        )
    assert response.status == expected, f"GET {path} -> {response.status}, expected {expected}"
    html_lang = page.evaluate("document.documentElement.lang")
    assert html_lang == language, f"{path}: <html lang={html_lang!r}>, expected {language!r}"
    main = page.locator("main")
    assert main.count() == 1, f"{path}: expected one <main>, found {main.count()}"
    if page_type in ("search-results", "search-filtered"):
        assert page.locator("ol.results > li").count() > 0, f"{path}: no results shown"
    if page_type == "search-results" and language == "pl":
        assert SEARCH_WORD in page.locator("ol.results").inner_text().lower()
    if page_type == "search-no-results":
        assert page.locator("ol.results > li").count() == 0, f"{path}: results shown"
    if page_type == "search-filtered":
        checked = page.locator("form.facets input[type=checkbox]:checked")
        assert checked.count() >= 1, f"{path}: the applied filter is not shown as checked"
    if page_type == "item-image":
        assert page.locator("main figure img").count() >= 1, f"{path}: no image shown"
    return response


def axe_run(page, tags: list[str]) -> dict:
    """axe-core's answer for the page: `violations` fail the test; `incomplete` (what axe
    could not decide, e.g. contrast over an image) is kept in the saved report for review."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]},
    )
    return results.response


def describe_violations(path: str, violations: list[dict]) -> str:
    """Rule, impact, what to change and where (selectors), readable in a test failure."""
    lines = []
    for violation in violations:
        lines.append(
            f"{path}: [{violation['id']}] ({violation.get('impact')}) {violation['help']} "
            f"- {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {' > '.join(map(str, node['target']))}: {summary}")
            lines.append(f"       {node.get('html', '')[:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def save_axe_report(name: str, path: str, response: dict) -> None:
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    report = {
        "path": path,
        "axe": response.get("testEngine", {}).get("version"),
        "violations": response["violations"],
        "incomplete": [
            {"id": i["id"], "help": i["help"], "targets": [n["target"] for n in i["nodes"]]}
            for i in response.get("incomplete", [])
        ],
    }
    (AXE_REPORTS / f"{name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )

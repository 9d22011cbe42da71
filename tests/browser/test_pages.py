"""Every public page type, in Polish and English, as Chromium shows it.

WCAG 2.1 A/AA by axe-core, a clean console under the Content-Security-Policy, reflow at
320 CSS pixels and at 200% zoom, and motion that stops for people who asked for less.
Screenshots of each page are saved to var/artifacts/screenshots/ and every axe result to
var/artifacts/axe/ (both git-ignored) so a failure can be looked at.
"""

import pytest

from .conftest import LANGUAGES, WCAG_TAGS, open_context, screenshot, watch
from .pages import (
    PAGE_TYPES,
    axe_run,
    describe_violations,
    open_page,
    page_paths,
    save_axe_report,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = [(language, page_type) for language in LANGUAGES for page_type in PAGE_TYPES]
MOTION_PAGES = [
    (language, page_type)
    for language in LANGUAGES
    for page_type in ("home", "search-results", "item-image")
]


def _artefact_name(language: str, page_type: str, index: int, suffix: str = "") -> str:
    return f"{language}-{page_type}{f'-{index}' if index else ''}{suffix}"


@pytest.mark.parametrize(("language", "page_type"), PAGES)
def test_page_has_no_wcag_2_1_a_or_aa_violations(demo_site, watched_page, language, page_type):
    paths, how = page_paths(watched_page.page, demo_site, language, page_type)
    reports = []
    for index, path in enumerate(paths):
        open_page(watched_page, demo_site, language, page_type, path)
        name = _artefact_name(language, page_type, index)
        screenshot(watched_page.page, name)
        response = axe_run(watched_page.page, WCAG_TAGS)
        save_axe_report(name, path, response)
        violations = response["violations"]
        if violations:
            reports.append(describe_violations(path, violations))
    assert not reports, f"axe-core found WCAG 2.1 A/AA violations ({how}):\n" + "\n".join(reports)


@pytest.mark.parametrize(("language", "page_type"), PAGES)
def test_page_logs_no_console_errors_or_csp_violations(
    demo_site, watched_page, language, page_type
):
    paths, _how = page_paths(watched_page.page, demo_site, language, page_type)
    problems = []
    for path in paths:
        watched_page.console_errors.clear()
        open_page(watched_page, demo_site, language, page_type, path)
        missing = demo_site.absolute(path) if page_type == "not-found" else ""
        problems += [f"{path}: {p}" for p in watched_page.problems(missing_page_url=missing)]
    assert not problems, "Console errors or CSP violations:\n" + "\n".join(problems)


def _horizontal_overflow(page) -> dict:
    """How wide the document is against the viewport, and which elements stick out."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const culprits = [];
          for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 1 && culprits.length < 8) {
              const id = el.id ? '#' + el.id : '';
              const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
              const edge = Math.round(box.right);
              culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${edge}px)`);
            }
          }
          return {scrollWidth: document.scrollingElement.scrollWidth, width, culprits};
        }"""
    )


@pytest.mark.parametrize(("language", "page_type"), PAGES)
def test_page_reflows_at_320_css_pixels_without_horizontal_scrolling(
    demo_site, chromium, language, page_type
):
    context = open_context(chromium, viewport={"width": 320, "height": 640})
    try:
        watched = watch(context.new_page())
        paths, _how = page_paths(watched.page, demo_site, language, page_type)
        too_wide = []
        for index, path in enumerate(paths):
            open_page(watched, demo_site, language, page_type, path)
            screenshot(watched.page, _artefact_name(language, page_type, index, "-320px"))
            measured = _horizontal_overflow(watched.page)
            if measured["scrollWidth"] > 320:
                too_wide.append(f"{path}: scrollWidth {measured['scrollWidth']} > 320; {measured}")
    finally:
        context.close()
    assert not too_wide, "Horizontal scrolling at 320px:\n" + "\n".join(too_wide)


@pytest.mark.parametrize(("language", "page_type"), PAGES)
def test_page_reflows_at_200_percent_zoom(demo_site, chromium, language, page_type):
    """A 1280px window zoomed to 200%: 640 CSS pixels wide at two device pixels each."""
    context = open_context(chromium, viewport={"width": 640, "height": 450}, device_scale_factor=2)
    try:
        watched = watch(context.new_page())
        paths, _how = page_paths(watched.page, demo_site, language, page_type)
        too_wide = []
        for path in paths:
            open_page(watched, demo_site, language, page_type, path)
            measured = _horizontal_overflow(watched.page)
            if measured["scrollWidth"] > 640:
                too_wide.append(f"{path}: scrollWidth {measured['scrollWidth']} > 640; {measured}")
    finally:
        context.close()
    assert not too_wide, "Horizontal scrolling at 200% zoom:\n" + "\n".join(too_wide)


@pytest.mark.parametrize(("language", "page_type"), MOTION_PAGES)
def test_page_stops_animations_when_reduced_motion_is_preferred(
    demo_site, chromium, language, page_type
):
    """With `prefers-reduced-motion: reduce`, nothing animates or transitions for longer
    than a blink, and scrolling is not smooth (WCAG 2.3.3, and vestibular disorders)."""
    context = open_context(
        chromium, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    try:
        watched = watch(context.new_page())
        path = demo_site.path(language, page_type)
        open_page(watched, demo_site, language, page_type, path)
        assert watched.page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        moving = watched.page.evaluate(
            """() => {
              const seconds = (value) => Math.max(...value.split(',').map((v) =>
                v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v)));
              const found = [];
              const check = (el, pseudo) => {
                const style = getComputedStyle(el, pseudo);
                const id = el.id ? '#' + el.id : '';
                const label = el.tagName.toLowerCase() + id + (pseudo || '');
                const animation = `${style.animationName} ${style.animationDuration}`;
                if (style.animationName !== 'none' && seconds(style.animationDuration) > 0.01)
                  found.push(`${label}: animation ${animation}`);
                const transition = `${style.transitionProperty} ${style.transitionDuration}`;
                if (seconds(style.transitionDuration) > 0.01)
                  found.push(`${label}: transition ${transition}`);
              };
              for (const el of document.querySelectorAll('*')) {
                check(el); check(el, '::before'); check(el, '::after');
              }
              if (getComputedStyle(document.documentElement).scrollBehavior === 'smooth')
                found.push('html: scroll-behavior smooth');
              return found.slice(0, 20);
            }"""
        )
    finally:
        context.close()
    assert not moving, f"{path} still moves with reduced motion preferred:\n" + "\n".join(moving)

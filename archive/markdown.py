"""Catalogue text as safe HTML: Markdown descriptions and free-text sources.

Descriptions come from archivists and from imported spreadsheets, so they are treated as
untrusted: Markdown is rendered first, then everything goes through nh3 with a small set of
tags, only http/https/mailto links, and links that pass no referrer or ranking on.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "abbr",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

# Headings in a description sit under the page's h1 and its h2 sections: "# Heading" in
# Markdown becomes an h3.
_HEADING_BASE_LEVEL = 3

_URL = re.compile(r"\bhttps?://[^\s<>\"'\u00a0]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}»”’"


def sanitize_html(html: str) -> SafeString:
    """Keep only the allowed tags, attributes and link schemes of `html`."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it


def render_markdown(text: str) -> SafeString:
    """Markdown `text` as sanitised HTML; empty text gives an empty string."""
    if not (text or "").strip():
        return mark_safe("")
    html = markdown_lib.markdown(
        text,
        extensions=["sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": _HEADING_BASE_LEVEL}},
        output_format="html",
    )
    return sanitize_html(html)


def _link(url: str) -> str:
    return f'<a href="{escape(url)}" rel="{LINK_REL}">{escape(url)}</a>'


def linkify_text(text: str) -> SafeString:
    """Plain `text` escaped, with http(s) URLs made into links and line breaks kept."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text or ""):
        url = match.group(0)
        # "see https://example.org/a." – the full stop ends the sentence, not the URL;
        # a closing bracket belongs to the URL only when the URL opened one.
        while url and url[-1] in _TRAILING_PUNCTUATION:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if len(url) <= len("https://"):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(url))
        position = match.start() + len(url)
    parts.append(escape((text or "")[position:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>\n")
    return mark_safe(html)  # noqa: S308 - every piece is escaped above

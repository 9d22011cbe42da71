"""Template helpers for citing and reusing an item: citation downloads, Dublin Core tags,
and why a media file may not be reused (archive.citation, archive.citation_formats)."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from archive.citation_formats import FORMATS, dublin_core

register = template.Library()

DC_SCHEMA = "http://purl.org/dc/elements/1.1/"


@register.simple_tag
def citation_files(item) -> list[dict]:
    """The item's citation downloads: [{label, url, media_type}] in FORMATS order."""
    return [
        {
            "label": citation_format.label,
            "url": reverse(
                "archive:item-citation",
                kwargs={"identifier": item.identifier, "extension": citation_format.extension},
            ),
            "media_type": citation_format.media_type,
        }
        for citation_format in FORMATS.values()
    ]


@register.simple_tag
def dublin_core_meta(citation) -> str:
    """<link rel="schema.DC"> and one <meta name="DC.…"> per value, escaped."""
    if citation is None:
        return ""
    link = format_html('<link rel="schema.DC" href="{}">', DC_SCHEMA)
    metas = format_html_join("\n  ", '<meta name="{}" content="{}">', dublin_core(citation))
    return format_html("{}\n  {}", link, metas)


@register.simple_tag
def reuse_refusal(item) -> str:
    """Why the public gets no download of this item's media (its licence does not allow
    copies to be passed on), or "" when it may be reused."""
    licence = item.licence
    if licence is not None and licence.allows_download:
        return ""
    name = licence.label if licence is not None else gettext("no licence given")
    reason = gettext(
        "No downloads: under “%(licence)s” copies of this material may not be passed on or "
        "published without the rights holder's permission (see the licence above for what "
        "you may do)."
    ) % {"licence": name}
    if item.rights_holder:
        reason += " " + gettext("Rights holder: %(holder)s.") % {"holder": item.rights_holder}
    return reason


@register.simple_tag(takes_context=True)
def copy_assets(context) -> str:
    """The copy buttons' script, once per page, only on pages that have a field to copy."""
    request = context.get("request")
    if request is not None:
        if getattr(request, "_kronika_copy_assets", False):
            return ""
        request._kronika_copy_assets = True
    return format_html('<script src="{}" defer></script>', static("js/copy.js"))

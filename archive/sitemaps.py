"""sitemap.xml: every public page in both languages, with hreflang alternates; robots.txt.

Mounted at the site root by config/urls.py (`path("sitemap.xml", include(...))`), outside
the language prefixes; each entry is listed once per language (i18n=True) and names its
other-language twin (alternates=True). Drafts are never listed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from curation.models import Collection, Lesson, Story

from .models import Agent, Item


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(PublicSitemap):
    """The pages that are not records: home, browse, about, the accessibility statement,
    contact and the site map for people."""

    priority = 0.6
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "archive:home",
            "archive:browse",
            "archive:browse_types",
            "archive:browse_periods",
            "archive:browse_places",
            "archive:browse_subjects",
            "archive:about",
            "archive:accessibility",
            "archive:contact",
            "archive:site_map",
            "curation:collections",
            "curation:lessons",
            "curation:stories",
            "search:search",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


class ItemSitemap(PublicSitemap):
    priority = 0.8

    def items(self):
        return Item.objects.published().only("identifier", "modified").order_by("pk")

    def lastmod(self, item: Item):
        return item.modified


class CollectionSitemap(PublicSitemap):
    priority = 0.7

    def items(self):
        return Collection.objects.public().only("slug", "modified").order_by("pk")

    def lastmod(self, collection: Collection):
        return collection.modified


class NarrativeSitemap(PublicSitemap):
    """Published lessons or stories (drafts never), by their last change."""

    priority = 0.7
    model = Lesson

    def items(self):
        return self.model.objects.published().only("slug", "modified").order_by("pk")

    def lastmod(self, narrative):
        return narrative.modified


class LessonSitemap(NarrativeSitemap):
    model = Lesson


class StorySitemap(NarrativeSitemap):
    model = Story


class PersonSitemap(PublicSitemap):
    """People and organisations with a public page: those linked to a published item."""

    priority = 0.5

    def items(self):
        return Agent.objects.public().only("slug").order_by("pk")


SITEMAPS = {
    "pages": PageSitemap,
    "collections": CollectionSitemap,
    "lessons": LessonSitemap,
    "stories": StorySitemap,
    "items": ItemSitemap,
    "people": PersonSitemap,
}


def sitemap_xml(request):
    """The whole site as one sitemap; past 50,000 URLs, an index of numbered pages.

    Pages of a large catalogue are `/sitemap.xml?section=items&p=2`: one URL in the
    root URLconf serves the index and every page.
    """
    section = request.GET.get("section")
    if section is not None:
        if section not in SITEMAPS:
            raise Http404("No such sitemap section.")
        return sitemap(request, SITEMAPS, section=section)
    pages = {name: cls().paginator.num_pages for name, cls in SITEMAPS.items()}
    if all(count <= 1 for count in pages.values()):
        return sitemap(request, SITEMAPS)
    base = request.build_absolute_uri(request.path)
    entries = [
        SitemapIndexItem(f"{base}?{urlencode({'section': name, 'p': page})}", None)
        for name, count in pages.items()
        for page in range(1, count + 1)
    ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers: everything public, except the admin, result lists and machine interfaces
    (the API and OAI-PMH have their own clients); where the sitemap is."""
    prefixes = [f"/{code}/" for code, _name in settings.LANGUAGES]
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}admin/" for prefix in prefixes]
    lines += [f"Disallow: {prefix}search/?" for prefix in prefixes]
    lines += ["Disallow: /api/", "Disallow: /oai/", ""]
    lines += [f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("", sitemap_xml, name="sitemap"),
]

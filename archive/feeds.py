"""An Atom feed of newly published items, for feed readers and the town's own pages.

Published items only, newest first; drafts never appear (and an item taken back to draft
leaves the feed). One feed per language: /pl/feed/ and /en/feed/.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from .date_display import describe_date
from .markdown import render_markdown
from .models import Item

FEED_LENGTH = 30


class NewItemsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return gettext("Kronika: newly published items")

    def subtitle(self) -> str:
        return gettext("Photographs, documents and memories newly published in the archive.")

    def link(self) -> str:
        return reverse("archive:home")

    def feed_url(self) -> str:
        return reverse("archive:feed")

    def items(self):
        return Item.objects.published().order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Item) -> str:
        return item.display_title

    def item_description(self, item: Item) -> str:
        lines = [str(item.get_item_type_display()).capitalize()]
        if item.date:
            lines[0] += f" · {describe_date(item.date)}"
        text = strip_tags(render_markdown(item.display_description)).strip()
        if text:
            lines.append(Truncator(text).words(60))
        return "\n\n".join(lines)

    def item_link(self, item: Item) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Item):
        return item.published_at

    def item_updateddate(self, item: Item):
        return item.modified

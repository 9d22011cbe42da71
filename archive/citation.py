"""How to cite an item: the parts of a citation, gathered once, and the text a reader copies.

The item page, its print version and any later format (BibTeX, RIS, CSL-JSON) start from
`item_citation()`, so what counts as the creator, the date or the licence is decided here
and nowhere else; `Citation.text()` is the plain sentence in the active language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from .date_display import describe_date
from .models import Item, ItemCreator

# Who a citation names: the people who made the item, not those shown in it or who
# only published or recorded it.
CITED_ROLES = (
    ItemCreator.Role.CREATOR,
    ItemCreator.Role.AUTHOR,
    ItemCreator.Role.PHOTOGRAPHER,
    ItemCreator.Role.ARTIST,
    ItemCreator.Role.ARCHITECT,
    ItemCreator.Role.PERFORMER,
)


@dataclass(frozen=True)
class Citation:
    """The parts of a citation, in the active language where they have one."""

    creators: tuple[str, ...]
    title: str
    date_edtf: str
    date: str  # the EDTF date in words, "" when undated
    institution: str
    identifier: str
    licence_name: str
    licence_url: str
    rights_holder: str
    url: str
    accessed: datetime.date

    @property
    def accessed_words(self) -> str:
        return describe_date(self.accessed.isoformat())

    def text(self) -> str:
        """One sentence to copy: creator, title, date. Institution, identifier. Licence.
        URL (accessed …). A part that already ends in a full stop ("lata 20. XX w.")
        is not given a second one."""
        head = ", ".join(part for part in (", ".join(self.creators), self.title, self.date) if part)
        # Translators: the access date in a citation, e.g. "accessed 4 December 2026".
        accessed = gettext("accessed %(date)s") % {"date": self.accessed_words}
        sentences = [
            head,
            f"{self.institution}, {self.identifier}",
            self.licence_name,
            f"{self.url} ({accessed})",
        ]
        return " ".join(_full_stop(sentence) for sentence in sentences if sentence)


def _full_stop(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def item_citation(item: Item, url: str, accessed: datetime.date | None = None) -> Citation:
    """The citation of `item` found at the absolute `url`, accessed today unless given.

    Reads the item's creators from `item.item_creators` (prefetch them with their agents
    to keep a page to one query).
    """
    creators = tuple(
        credit.agent.label for credit in item.item_creators.all() if credit.role in CITED_ROLES
    )
    licence = item.licence
    return Citation(
        creators=creators,
        title=item.display_title,
        date_edtf=item.date,
        date=describe_date(item.date),
        institution=settings.KRONIKA_INSTITUTION,
        identifier=item.identifier,
        licence_name=licence.label if licence else "",
        licence_url=licence.url if licence else "",
        rights_holder=item.rights_holder,
        url=url,
        accessed=accessed or timezone.localdate(),
    )

"""How to cite an item: the parts of a citation, gathered once, and the text a reader copies.

The item page, its print version and the downloadable formats (RIS, BibTeX, CSL-JSON in
archive/citation_formats.py, the API alike) start from `item_citation()`, so what counts as
the creator, the date or the licence is decided here and nowhere else. `Citation.text()` is
the reference in the active language, laid out after PN-ISO 690 (docs/citing.md);
`Citation.html()` is the same sentence with the title in <cite>, marked lang="pl" when an
English page falls back to the Polish title.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from .date_display import describe_date
from .models import Agent, Item, ItemCreator, is_localized_fallback

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

# Words that belong to a surname when they stand before it ("van den Blocke").
_SURNAME_PARTICLES = {"van", "von", "de", "der", "den", "di", "da", "du", "la", "le", "ten", "ter"}
# A surname: a capitalised word of letters, maybe double-barrelled ("Skłodowska-Curie").
_SURNAME = re.compile(r"^[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*$")
_ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")


@dataclass(frozen=True)
class CitedName:
    """A creator as a citation names them: a person's family and given names when they can
    be told apart, otherwise the name as written (`literal`), as for an organisation, a
    ruler ("Konrad I Mazowiecki") or a workshop."""

    literal: str
    family: str = ""
    given: str = ""

    @property
    def inverted(self) -> str:
        """Surname first: "Kowalski, Jan"; the name as written when there is no surname."""
        if self.family:
            return f"{self.family}, {self.given}" if self.given else self.family
        return self.literal


def _is_honorific(word: str) -> bool:
    """ "ks.", "dr.", "Fr.", "prof." — an abbreviation, not an initial ("J.")."""
    return word.endswith(".") and (word[:1].islower() or len(word) > 2)


def cited_name(agent: Agent) -> CitedName:
    """Split a person's name into family and given names: the last word is the surname,
    with the particles before it; a leading abbreviated honorific ("ks.", "Fr.") is left
    out. A name already written surname-first ("Kowalski, Jan") is read as such. Anything
    less regular (Roman numerals, brackets, one word) is cited as written.

    The name is the catalogued (Polish) form in every language, as library authority files
    cite a person: the English form may add a title ("King Stanisław August Poniatowski")."""
    name = " ".join(agent.name.split())
    if agent.kind != Agent.Kind.PERSON:
        return CitedName(literal=name)
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        if family and given and "(" not in name:
            return CitedName(literal=name, family=family, given=given)
        return CitedName(literal=name)
    words = name.split(" ")
    while len(words) > 1 and _is_honorific(words[0]):
        words = words[1:]  # "ks. Władysław Polkowski"
    if len(words) < 2 or "(" in words[-1] or ")" in words[-1]:
        return CitedName(literal=name)
    if not _SURNAME.match(words[-1]) or not words[-1][0].isupper():
        return CitedName(literal=name)
    if any(_ROMAN_NUMERAL.match(word) for word in words[1:]):
        return CitedName(literal=name)  # "Siemowit III", "Konrad I Mazowiecki"
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _SURNAME_PARTICLES:
        start -= 1
    return CitedName(literal=name, family=" ".join(words[start:]), given=" ".join(words[:start]))


@dataclass(frozen=True)
class Citation:
    """The parts of a citation, in the active language where they have one."""

    creators: tuple[CitedName, ...]
    title: str
    title_lang: str  # "pl" when an English citation gives the Polish title; "" otherwise
    item_type: str  # archive.models.ItemType value
    item_type_label: str
    date_edtf: str
    date: str  # the EDTF date in words, "" when undated
    date_start: int | None
    date_end: int | None
    institution: str
    identifier: str
    licence_name: str
    licence_url: str
    rights_holder: str
    url: str
    language: str  # the language of the page the citation belongs to
    accessed: datetime.date

    @property
    def accessed_words(self) -> str:
        return describe_date(self.accessed.isoformat())

    @property
    def authors(self) -> str:
        """ "Kowalski, Jan; Nowak, Anna" (PN-ISO 690 separates names with semicolons)."""
        return "; ".join(name.inverted for name in self.creators)

    def _sentences(self, title: str) -> list[str]:
        """The reference in parts, each ending in a full stop once text() joins them:
        creators. Title [type]. Date. Institution, ref. identifier [online]. Available at:
        URL [accessed …]. Licence: name."""
        available = gettext("Available at: %(url)s") % {"url": self.url}
        # Translators: the access date in a citation, e.g. "[accessed 4 December 2026]";
        # in Polish "[dostęp: 4 grudnia 2026]" (PN-ISO 690).
        accessed = gettext("[accessed %(date)s]") % {"date": self.accessed_words}
        # Translators: an item's reference number in a citation; Polish "sygn. %(identifier)s".
        reference = gettext("ref. %(identifier)s") % {"identifier": self.identifier}
        # Translators: a citation's medium designation for a page on the web, "[online]".
        online = gettext("[online]")
        licence = (
            gettext("Licence: %(licence)s") % {"licence": self.licence_name}
            if self.licence_name
            else ""
        )
        return [
            self.authors,
            f"{title} [{self.item_type_label}]" if self.item_type_label else title,
            capfirst(self.date),
            f"{self.institution}, {reference} {online}",
            f"{available} {accessed}",
            licence,
        ]

    def text(self) -> str:
        """The reference as one plain sentence to copy. A part that already ends in a full
        stop ("lata 20. XX w.", "Jan Kowalski Jr.") is not given a second one."""
        return " ".join(_full_stop(part) for part in self._sentences(self.title) if part)

    def html(self) -> SafeString:
        """text() with the title in <cite> (and lang="pl" on an English page that shows the
        Polish title), everything escaped."""
        marker = "\x00title\x00"
        parts = [_full_stop(part) for part in self._sentences(marker) if part]
        escaped = conditional_escape(" ".join(parts))
        title = (
            format_html('<cite lang="{}">{}</cite>', self.title_lang, self.title)
            if self.title_lang
            else format_html("<cite>{}</cite>", self.title)
        )
        return mark_safe(escaped.replace(marker, title))  # noqa: S308 - both parts escaped

    def credit_line(self) -> str:
        """What to print under a reused picture: title, creators, institution, licence, link."""
        licence = self.licence_name
        if licence and self.licence_url:
            licence = f"{licence} ({self.licence_url})"
        parts = [
            self.title,
            ", ".join(name.literal for name in self.creators),
            self.rights_holder
            and gettext("Rights holder: %(holder)s.") % {"holder": self.rights_holder},
            self.institution,
            licence,
        ]
        # The link last and bare: a full stop after it would be copied into the address.
        return " ".join([*(_full_stop(part) for part in parts if part), self.url])


def _full_stop(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def item_citation(item: Item, url: str, accessed: datetime.date | None = None) -> Citation:
    """The citation of `item` found at the absolute `url`, accessed today unless given.

    Reads the item's creators from `item.item_creators` (prefetch them with their agents
    to keep a page to one query).
    """
    creators = tuple(
        cited_name(credit.agent)
        for credit in item.item_creators.all()
        if credit.role in CITED_ROLES
    )
    licence = item.licence
    return Citation(
        creators=creators,
        title=item.display_title,
        title_lang=settings.LANGUAGE_CODE if is_localized_fallback(item, "title") else "",
        item_type=item.item_type,
        item_type_label=str(item.get_item_type_display()),
        date_edtf=item.date,
        date=describe_date(item.date),
        date_start=item.date_start,
        date_end=item.date_end,
        institution=settings.KRONIKA_INSTITUTION,
        identifier=item.identifier,
        licence_name=licence.label if licence else "",
        licence_url=licence.url if licence else "",
        rights_holder=item.rights_holder,
        url=url,
        language=(get_language() or settings.LANGUAGE_CODE).split("-")[0],
        accessed=accessed or timezone.localdate(),
    )

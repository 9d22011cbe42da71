"""An item's citation as files reference managers import: RIS, BibTeX and CSL-JSON.

Each format is a small, careful serializer of `archive.citation.Citation` (no second
gathering of the item's data), registered in `FORMATS` under the name the API's `format`
parameter and the page's download addresses use. The mapping of Kronika's item types to
each format's types, and what goes where, is documented in docs/citing.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .citation import Citation

# Kronika's item types (archive.models.ItemType) in each format's vocabulary.
CSL_TYPES = {
    "photograph": "graphic",
    "document": "manuscript",
    "monument": "document",
    "artifact": "document",
    "map": "map",
    "recording": "song",  # CSL's type for any audio recording (Zotero: audioRecording)
    "tradition": "document",
    "publication": "book",
    "artwork": "graphic",
}
RIS_TYPES = {
    "photograph": "ART",
    "document": "MANSCPT",
    "monument": "GEN",
    "artifact": "GEN",
    "map": "MAP",
    "recording": "SOUND",
    "tradition": "GEN",
    "publication": "BOOK",
    "artwork": "ART",
}
BIBTEX_TYPES = {"publication": "book"}  # everything else is @misc

# A date the formats can give exactly: year, year-month or year-month-day, nothing else;
# a stated date may carry EDTF's qualifier ("1920~": about 1920, CSL's "circa").
_EXACT_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_STATED_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?[~?%]?$")


def date_parts(citation: Citation) -> list[list[int]]:
    """CSL's date-parts: [[1905, 5, 3]] for a date, [[1920]] for "1920~" (the year as
    stated, not the interval the qualifier widens it to), [[1920], [1929]] for a period;
    [] when undated."""
    stated = _STATED_DATE.match(citation.date_edtf or "")
    if stated:
        return [[int(part) for part in stated.groups() if part]]
    if citation.date_start is None:
        return []
    if citation.date_end is None or citation.date_end == citation.date_start:
        return [[citation.date_start]]
    return [[citation.date_start], [citation.date_end]]


def _is_approximate(citation: Citation) -> bool:
    return any(mark in citation.date_edtf for mark in "~?%")


def _notes(citation: Citation) -> str:
    """Identifier, the date in words when the formats cannot say it, the licence."""
    parts = [citation.identifier]
    if citation.date and not _EXACT_DATE.match(citation.date_edtf or ""):
        parts.append(f"{citation.date} (EDTF: {citation.date_edtf})")
    if citation.licence_name:
        licence = citation.licence_name
        parts.append(f"{licence} ({citation.licence_url})" if citation.licence_url else licence)
    if citation.rights_holder:
        parts.append(citation.rights_holder)
    return ". ".join(parts)


# --- CSL-JSON -----------------------------------------------------------------------------


def to_csl(citation: Citation) -> dict:
    """One CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    item: dict = {
        "id": citation.identifier,
        "type": CSL_TYPES.get(citation.item_type, "document"),
        "title": citation.title,
        "genre": citation.item_type_label,
        "publisher": citation.institution,
        "archive": citation.institution,
        "archive_location": citation.identifier,
        "call-number": citation.identifier,
        "URL": citation.url,
        "accessed": {"date-parts": [[citation.accessed.year, citation.accessed.month,
                                     citation.accessed.day]]},
        "language": citation.title_lang or citation.language,
    }  # fmt: skip
    if citation.creators:
        item["author"] = [
            {"family": n.family, "given": n.given} if n.family else {"literal": n.literal}
            for n in citation.creators
        ]
    parts = date_parts(citation)
    if parts:
        item["issued"] = {"date-parts": parts}
        if _is_approximate(citation):
            item["issued"]["circa"] = True
    if citation.licence_name:
        item["license"] = citation.licence_url or citation.licence_name
    item["note"] = _notes(citation)
    return item


def render_csl_json(citation: Citation) -> str:
    """A CSL-JSON file: an array holding the one item, as Zotero and pandoc read it."""
    return json.dumps([to_csl(citation)], ensure_ascii=False, indent=2) + "\n"


# --- RIS ----------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    # One tag per line: a value never spans lines (a line break would start a new tag).
    return f"{tag}  - {' '.join(str(value).split())}"


def render_ris(citation: Citation) -> str:
    """A RIS record (tags after the RIS format specification; lines end in CRLF)."""
    lines = [_ris_line("TY", RIS_TYPES.get(citation.item_type, "GEN"))]
    lines.append(_ris_line("TI", citation.title))
    lines += [_ris_line("AU", name.inverted) for name in citation.creators]
    parts = date_parts(citation)
    if parts:
        lines.append(_ris_line("PY", str(parts[0][0])))
        exact = _EXACT_DATE.match(citation.date_edtf or "")
        if exact:
            year, month, day = exact.groups()
            lines.append(_ris_line("DA", f"{year}/{month or ''}/{day or ''}/"))
    lines += [
        _ris_line("PB", citation.institution),
        _ris_line("AN", citation.identifier),
        _ris_line("CN", citation.identifier),
        _ris_line("UR", citation.url),
        _ris_line("Y2", citation.accessed.strftime("%Y/%m/%d")),
        _ris_line("LA", citation.title_lang or citation.language),
        _ris_line("M3", citation.item_type_label),
        _ris_line("N1", _notes(citation)),
        "ER  - ",
    ]
    return "\r\n".join(lines) + "\r\n"


# --- BibTeX -------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    """Escape what (La)TeX reads as markup; letters with diacritics stay UTF-8, which
    biber and modern BibTeX read as they are."""
    text = " ".join(text.split())
    return _BIBTEX_SPECIAL_RE.sub(lambda match: _BIBTEX_SPECIAL[match[0]], text)


def _bibtex_name(name) -> str:
    if name.family:
        family, given = bibtex_escape(name.family), bibtex_escape(name.given)
        return f"{family}, {given}" if given else family
    # An organisation or a name without a surname: braced, so it is not split.
    return "{" + bibtex_escape(name.literal) + "}"


def bibtex_key(citation: Citation) -> str:
    """The identifier as a key: BibTeX keys may not hold spaces, commas or braces."""
    return re.sub(r"[^A-Za-z0-9._:-]", "-", citation.identifier) or "item"


def render_bibtex(citation: Citation) -> str:
    """A BibTeX entry (@misc, or @book for publications) with biblatex's url/urldate."""
    fields: list[tuple[str, str]] = [("title", bibtex_escape(citation.title))]
    if citation.creators:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in citation.creators)))
    parts = date_parts(citation)
    if parts:
        if len(parts) == 2:
            fields.append(("year", f"{parts[0][0]}--{parts[1][0]}"))
        else:
            fields.append(("year", str(parts[0][0])))
        if _EXACT_DATE.match(citation.date_edtf or ""):
            fields.append(("date", citation.date_edtf))
    fields += [
        ("publisher", bibtex_escape(citation.institution)),
        ("howpublished", bibtex_escape(citation.item_type_label)),
        ("number", bibtex_escape(citation.identifier)),
        ("url", citation.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", citation.accessed.isoformat()),
        ("language", citation.title_lang or citation.language),
        ("note", bibtex_escape(_notes(citation))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    entry_type = BIBTEX_TYPES.get(citation.item_type, "misc")
    return f"@{entry_type}{{{bibtex_key(citation)},\n{body}\n}}\n"


# --- the registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class CitationFormat:
    name: str  # the API's `format` value
    extension: str  # the page's download address, cite.<extension>
    media_type: str
    label: str  # what the download link says (a format's own name, not translated)
    render: Callable[[Citation], str]

    def filename(self, citation: Citation) -> str:
        return f"{bibtex_key(citation)}.{self.extension}"


FORMATS: dict[str, CitationFormat] = {
    f.name: f
    for f in (
        CitationFormat("ris", "ris", "application/x-research-info-systems", "RIS", render_ris),
        CitationFormat("bibtex", "bib", "application/x-bibtex", "BibTeX", render_bibtex),
        CitationFormat(
            "csl-json",
            "json",
            "application/vnd.citationstyles.csl+json",
            "CSL-JSON",
            render_csl_json,
        ),
    )
}
BY_EXTENSION = {f.extension: f for f in FORMATS.values()}


# --- Dublin Core in the page's <head> -----------------------------------------------------

# Kronika's item types as DCMI Type Vocabulary terms (https://www.dublincore.org/specifications/dublin-core/dcmi-type-vocabulary/).
DCMI_TYPES = {
    "photograph": "StillImage",
    "document": "Text",
    "monument": "PhysicalObject",
    "artifact": "PhysicalObject",
    "map": "StillImage",
    "recording": "Sound",
    "tradition": "Event",
    "publication": "Text",
    "artwork": "StillImage",
}


def dc_date(citation: Citation) -> str:
    """W3C-DTF for an exact date ("1905-05-03"), the year, or the years of a period
    ("1920/1929"): what reference managers read from DC.date."""
    parts = date_parts(citation)
    if not parts:
        return ""
    if len(parts) == 2:
        return f"{parts[0][0]}/{parts[1][0]}"
    return "-".join(f"{part:02d}" if i else str(part) for i, part in enumerate(parts[0]))


def dublin_core(citation: Citation) -> list[tuple[str, str]]:
    """(name, content) pairs for <meta name="DC.…"> tags, as Zotero's embedded-metadata
    reader expects them (one DC.creator per creator, surname first)."""
    pairs = [("DC.title", citation.title)]
    pairs += [("DC.creator", name.inverted) for name in citation.creators]
    pairs += [
        ("DC.date", dc_date(citation)),
        ("DC.type", DCMI_TYPES.get(citation.item_type, "")),
        ("DC.publisher", citation.institution),
        ("DC.identifier", citation.identifier),
        ("DC.identifier", citation.url),
        ("DC.language", citation.title_lang or citation.language),
        ("DC.rights", citation.licence_url or citation.licence_name),
    ]
    return [(name, content) for name, content in pairs if content]

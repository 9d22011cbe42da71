"""Request parsers that refuse text with NUL characters.

PostgreSQL can neither store nor compare text holding NUL (`\\u0000`): a lookup such as
`Place.objects.get(slug="\\u0000")` raises DataError, a 500. One check where the body is
parsed covers every field and lookup of every endpoint (query strings and paths are
checked by config.middleware.RejectNullCharactersMiddleware).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"


def contains_nul(data) -> bool:
    """Whether any string in parsed JSON or form data (keys included) holds a NUL."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif hasattr(value, "lists"):  # QueryDict: every value of every key
            for key, values in value.lists():
                stack.append(key)
                stack.extend(values)
    return False


def refuse_nul(data):
    if contains_nul(data):
        raise ParseError(_("Text may not contain NUL characters."))
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        refuse_nul(parsed.data)
        if any(NUL in (f.name or "") for f in parsed.files.values()):
            raise ParseError(_("Text may not contain NUL characters."))
        return parsed

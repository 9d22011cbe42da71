"""Request parsers: any body that cannot be read is a 400 (413 when too large), never a 500.

Whatever a client sends (nesting thousands of levels deep, numbers too large for a float,
bytes that are not the declared charset, too many form fields) is refused here, in the
API's error shape, before a view sees it. The same walk over the parsed data also refuses:
- NUL characters (`\\u0000`): PostgreSQL can neither store nor compare such text, so a
  lookup such as `Place.objects.get(slug="\\u0000")` would raise DataError, a 500. One check
  here covers every field and lookup of every endpoint (query strings and paths are checked
  by config.middleware.RejectNullCharactersMiddleware);
- nesting deeper than MAX_DEPTH: no payload of ours is deeper than a few levels, and deeply
  nested data can exhaust the stack of whatever reads it next.
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError

NUL = "\x00"
MAX_DEPTH = 32


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


def check_parsed(data):
    """Refuse NUL in any string of parsed JSON or form data (keys included) and nesting
    deeper than MAX_DEPTH; iterative, so depth itself cannot exhaust the stack."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(
                _("The data is nested too deeply (more than %(depth)d levels).")
                % {"depth": MAX_DEPTH}
            )
        if isinstance(value, str):
            if NUL in value:
                raise ParseError(_("Text may not contain NUL characters."))
        elif isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list | tuple):
            stack.extend((item, depth + 1) for item in value)
        elif hasattr(value, "lists"):  # QueryDict: every value of every key
            for key, values in value.lists():
                stack.append((key, depth + 1))
                stack.extend((item, depth + 1) for item in values)
    return data


@contextmanager
def readable_body():
    """Turns every way a body can fail to decode into a 400 (a 413 when it is too large)."""
    try:
        yield
    except RequestDataTooBig as exc:
        raise BodyTooLarge() from exc
    except RecursionError as exc:
        raise ParseError(
            _("The data is nested too deeply (more than %(depth)d levels).") % {"depth": MAX_DEPTH}
        ) from exc
    except (ValueError, OverflowError, LookupError, SuspiciousOperation) as exc:
        # ValueError covers UnicodeDecodeError and json.JSONDecodeError.
        message = _("The request body could not be read: %(error)s") % {"error": exc}
        raise ParseError(message) from exc


def finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(_("the number %(number).40s is too large") % {"number": text})
    return number


def refuse_constant(name: str):
    raise ValueError(_("%(name)s is not a number JSON allows") % {"name": name})


class JSONParser(parsers.JSONParser):
    """Strict JSON: no NaN or Infinity, no number beyond a float's range. (DRF reads the body
    through HttpRequest.body, which holds it to DATA_UPLOAD_MAX_MEMORY_SIZE: larger is 413,
    see api.exceptions.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        with readable_body():
            data = json.loads(
                stream.read().decode(encoding),
                parse_float=finite_float,
                parse_constant=refuse_constant,
            )
        return check_parsed(data)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        with readable_body():
            data = super().parse(stream, media_type, parser_context)
        return check_parsed(data)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        with readable_body():
            parsed = super().parse(stream, media_type, parser_context)
        check_parsed(parsed.data)
        if any(NUL in (f.name or "") for f in parsed.files.values()):
            raise ParseError(_("Text may not contain NUL characters."))
        return parsed

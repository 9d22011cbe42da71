"""The API's one error shape, for every error under /api/ (docs/api.md, "Errors").

    {"detail": "creators.0.agent: This field is required.",
     "errors": {"creators": [{"agent": ["This field is required."]}]}}

`detail` is always there: one sentence for a person. `errors` comes with a 400 that blames
fields of the body or parameters of the query string, keyed as the request names them
(nested for lists and objects). `parameter` comes with a 400 to a GET (whose only input is
its query string): the first parameter named in `errors`, as search answered from the start.

`api_exception_handler` gives DRF's exceptions this shape and turns Django's own failures
(model validation, protected or conflicting rows, a suspicious request) into API errors;
`json_under_api` does the same for what no API view answers (unknown addresses, Django's
own 400/403/404/500). A database's own error text never reaches the client: it is logged.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import serializers, status
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    ValidationError,
)
from rest_framework.views import exception_handler

from .parsers import BodyTooLarge

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "This record is still used by other records and cannot be deleted."
    )
    default_code = "conflict"


class ErrorSerializer(serializers.Serializer):
    """The body of every error under /api/ (declared in the schema for every status)."""

    detail = serializers.CharField(help_text="What is wrong, in one sentence.")
    errors = serializers.DictField(
        required=False,
        help_text="With a 400: messages keyed by the field or query parameter they blame "
        "(nested for lists and objects, `non_field_errors` for a rule over several fields).",
    )
    parameter = serializers.CharField(
        required=False,
        help_text="With a 400 to a GET: the query parameter named first in `errors`.",
    )


def model_errors(exc: DjangoValidationError) -> dict:
    """A model ValidationError keyed like a request body (`__all__` → `non_field_errors`)."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def first_error(errors, path: tuple = ()) -> tuple[tuple, str] | None:
    """The path and message of the first error in DRF's nested errors (a list of entries
    holds `{}` for each entry without errors; a list of strings is a field's messages)."""
    if isinstance(errors, dict):
        children = list(errors.items())
    elif isinstance(errors, list):
        if errors and not isinstance(errors[0], (dict, list)):
            return path, str(errors[0])
        children = list(enumerate(errors))
    else:
        return path, str(errors)
    for key, value in children:
        found = first_error(value, (*path, key)) if value not in ({}, []) else None
        if found is not None:
            return found
    return None


def summary(errors: dict) -> str:
    """`detail` of a 400 with field errors: the first message, prefixed by where it is."""
    found = first_error(errors)
    if found is None:
        return _("Invalid input.")
    path, message = found
    where = ".".join(str(part) for part in path if part != "non_field_errors")
    return f"{where}: {message}" if where else message


def error_body(detail, method: str = "GET") -> dict:
    """The one shape, from an exception's `detail` (a message, or DRF's field errors)."""
    if isinstance(detail, (dict, list)):
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        body = {"detail": summary(errors), "errors": errors}
        if method in SAFE_METHODS and errors:
            body["parameter"] = str(next(iter(errors)))
        return body
    return {"detail": str(detail)}


def as_api_exception(exc: Exception) -> Exception:
    """Django's own failures that reach an API view, as the API exception they mean."""
    if isinstance(exc, Http404):
        return NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return BodyTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return ParseError(_("The request body could not be read: %(error)s") % {"error": exc})
    if isinstance(exc, DjangoValidationError):
        return ValidationError(model_errors(exc))
    if isinstance(exc, ProtectedError):
        return Conflict()
    if isinstance(exc, IntegrityError):
        # A rule the database enforces that validation did not see first (two writers
        # taking one identifier at once). Its text names tables and constraints: log it.
        logger.warning("API write refused by the database: %s", exc)
        return ValidationError(
            {
                "non_field_errors": [
                    _(
                        "The change conflicts with existing records (for example, an "
                        "identifier or slug already taken). Nothing was saved."
                    )
                ]
            }
        )
    return exc


def api_exception_handler(exc, context):
    """DRF's handler (headers such as Retry-After and WWW-Authenticate included), with every
    body in the one shape; None (a 500, answered by `server_error`) for the unexpected."""
    exc = as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is not None:
        request = context.get("request")
        response.data = error_body(exc.detail, getattr(request, "method", "GET"))
    return response


def json_under_api(page_view, error: type[APIException], status_code: int):
    """A Django error handler (handler400/403/404/500 in config/urls.py) that answers in the
    API's JSON shape for addresses under /api/ and with the site's page elsewhere."""

    def handler(request, exception=None):
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(error.default_detail), status=status_code)
        if status_code == 500:
            return page_view(request)
        return page_view(request, exception)

    return handler


bad_request = json_under_api(defaults.bad_request, ParseError, 400)
permission_denied = json_under_api(defaults.permission_denied, PermissionDenied, 403)
page_not_found = json_under_api(defaults.page_not_found, NotFound, 404)
server_error = json_under_api(defaults.server_error, APIException, 500)

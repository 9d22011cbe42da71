"""JSON errors for failures DRF does not know (model validation, protected rows), and for
every error under /api/ that no API view answers (unknown addresses, Django's own 400/403/500)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .parsers import BodyTooLarge


def api_exception_handler(exc, context):
    """DRF's handler, plus 400 for model ValidationError/IntegrityError and for a request
    Django finds suspicious (too many fields), 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE,
    and 409 for PROTECT."""
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": str(BodyTooLarge.default_detail)}, status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response(
            {"detail": _("The request body could not be read: %(error)s") % {"error": exc}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            body = {"non_field_errors": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("This record is still used by other records and cannot be deleted.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("The change conflicts with existing records: %(error)s") % {"error": exc}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return exception_handler(exc, context)


def json_under_api(page_view, error: type[APIException], status_code: int):
    """A Django error handler (handler400/403/404/500 in config/urls.py) that answers in the
    API's JSON shape for addresses under /api/ and with the site's page elsewhere."""

    def handler(request, exception=None):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(error.default_detail)}, status=status_code)
        if status_code == 500:
            return page_view(request)
        return page_view(request, exception)

    return handler


bad_request = json_under_api(defaults.bad_request, ParseError, 400)
permission_denied = json_under_api(defaults.permission_denied, PermissionDenied, 403)
page_not_found = json_under_api(defaults.page_not_found, NotFound, 404)
server_error = json_under_api(defaults.server_error, APIException, 500)

"""Page-number pagination as in CONTRACTS.md: 20 a page, page_size clamped to 100."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and raw.strip():
            try:
                size = int(raw)
            except ValueError:
                raise ValidationError(
                    {"page_size": [_("page_size must be a whole number.")]}
                ) from None
            if size < 1:
                raise ValidationError({"page_size": [_("page_size must be 1 or more.")]})
            return min(size, self.max_page_size)
        return self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1").strip() or "1"
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({"page": [_("page must be a whole number, 1 or more.")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound(
                _("Page %(page)s is past the last page of results.") % {"page": raw}
            ) from None

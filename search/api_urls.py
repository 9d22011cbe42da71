"""Search endpoints under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="api-search"),
    path("search/suggest/", api.SuggestView.as_view(), name="api-search-suggest"),
]

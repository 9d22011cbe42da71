"""Search endpoints under /api/v1/."""

from django.urls import path

from config.middleware import nul_as_space

from . import api

urlpatterns = [
    path("search/", nul_as_space(api.SearchView.as_view()), name="api-search"),
    path("search/suggest/", nul_as_space(api.SuggestView.as_view()), name="api-search-suggest"),
]

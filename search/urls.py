from django.urls import path

from config.middleware import nul_as_space

from . import views

app_name = "search"

urlpatterns = [
    path("", nul_as_space(views.search_page), name="search"),
]

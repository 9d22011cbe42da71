from django.urls import path

from . import views

app_name = "curation"

urlpatterns = [
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
]

from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:identifier>/", views.item_detail, name="item"),
    path("browse/", views.browse, name="browse"),
    path("browse/types/", views.browse_types, name="browse_types"),
    path("browse/periods/", views.browse_periods, name="browse_periods"),
    path("browse/places/", views.browse_places, name="browse_places"),
    path("browse/subjects/", views.browse_subjects, name="browse_subjects"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
]

from django.urls import path

from media import downloads

from . import feeds, views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:identifier>/", views.item_detail, name="item"),
    path(
        "items/<str:identifier>/cite.<slug:extension>",
        views.item_citation_file,
        name="item-citation",
    ),
    path(
        "items/<str:identifier>/download/<int:media_id>/<slug:size>/",
        downloads.download,
        name="item-download",
    ),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("feed/", feeds.NewItemsFeed(), name="feed"),
    path("browse/", views.browse, name="browse"),
    path("browse/types/", views.browse_types, name="browse_types"),
    path("browse/periods/", views.browse_periods, name="browse_periods"),
    path("browse/places/", views.browse_places, name="browse_places"),
    path("browse/subjects/", views.browse_subjects, name="browse_subjects"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("sitemap/", views.site_map, name="site_map"),
]

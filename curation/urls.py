from django.urls import path

from . import classroom, narrative_views, views

app_name = "curation"

urlpatterns = [
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
    path("lessons/", narrative_views.lesson_list, name="lessons"),
    path("lessons/<slug:slug>/", narrative_views.lesson_detail, name="lesson"),
    path("lessons/<slug:slug>/worksheet/", classroom.worksheet, name="lesson-worksheet"),
    path("lessons/<slug:slug>/download.zip", classroom.download, name="lesson-download"),
    path("stories/", narrative_views.story_list, name="stories"),
    path("stories/<slug:slug>/", narrative_views.story_detail, name="story"),
]

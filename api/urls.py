"""The REST API under /api/v1/ (search lives in search/api_urls.py, mounted first)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import narratives, views
from .docs import ApiDocsView
from .tokens import ObtainToken

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("items", views.ItemViewSet, basename="item")
router.register("media", views.MediaViewSet, basename="media")
router.register("collections", views.CollectionViewSet, basename="collection")
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("places", views.PlaceViewSet, basename="place")
router.register("agents", views.AgentViewSet, basename="agent")
router.register("licences", views.LicenceViewSet, basename="licence")
router.register("lessons", narratives.LessonViewSet, basename="lesson")
router.register("stories", narratives.StoryViewSet, basename="story")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", ObtainToken.as_view(), name="token"),
    *router.urls,
]

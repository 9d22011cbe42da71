"""IIIF Image API 3.0 at /iiif/image/: info.json, the stored tiles, and other requests computed
within limits (interop/iiif_image.py)."""

from django.urls import path, re_path

from . import views

app_name = "media-iiif"

urlpatterns = [
    re_path(r"^(?P<identifier>[0-9a-f]{64})$", views.iiif_base, name="base"),
    path("<str:identifier>/info.json", views.iiif_info, name="info"),
    path(
        "<str:identifier>/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:fmt>",
        views.iiif_image,
        name="image",
    ),
]

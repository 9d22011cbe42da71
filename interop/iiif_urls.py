from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    path("<str:identifier>/manifest.json", views.iiif_manifest, name="iiif-manifest"),
]

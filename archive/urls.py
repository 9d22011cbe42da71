from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:identifier>/", views.item_detail, name="item"),
]

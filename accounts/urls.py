"""The two-factor pages, under the admin's address (/pl/admin/two-factor/)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("", admin.site.admin_view(views.manage), name="manage"),
    path("verify/", admin.site.admin_view(views.verify), name="verify"),
]

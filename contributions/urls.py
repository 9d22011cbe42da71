from django.urls import path

from . import views

app_name = "contributions"

urlpatterns = [
    path("items/<str:identifier>/contribute/", views.contribute, name="contribute"),
    path("items/<str:identifier>/contribute/thanks/", views.thanks, name="thanks"),
    path("contributions/withdraw/<str:key>/", views.withdraw, name="withdraw"),
    path("contributions/photo/<int:pk>/", views.photo, name="photo"),
]

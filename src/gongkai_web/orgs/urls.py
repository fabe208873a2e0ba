from __future__ import annotations

from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.agencies, name="agencies"),
    path("<int:pk>/", views.agency, name="agency"),
]

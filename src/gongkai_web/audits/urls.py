from __future__ import annotations

from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/rerun/", views.rerun, name="rerun"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/<int:position>/", views.entry, name="entry"),
]

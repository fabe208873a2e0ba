from __future__ import annotations

from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("", views.home, name="home"),
    path("template.xlsx", views.template, name="template"),
    path("agency/<int:agency_id>/<int:year>/", views.index, name="index"),
    path("agency/<int:agency_id>/<int:year>/documents/", views.add_document, name="add_document"),
    path("agency/<int:agency_id>/<int:year>/months/", views.save_months, name="months"),
    path("agency/<int:agency_id>/<int:year>/import/", views.import_registers, name="import"),
    path("agency/<int:agency_id>/<int:year>/tables/", views.tables, name="tables"),
    path("agency/<int:agency_id>/<int:year>/tables/fill/", views.fill, name="fill"),
    path("agency/<int:agency_id>/<int:year>/tables/<str:table>/<str:row>/<str:col>/", views.cell, name="cell"),
    # the workspace's cell names (c:table:row:col) → the cases counted in the cell
    path("agency/<int:agency_id>/<int:year>/cells/<str:name>/", views.cell_by_name, name="cell_by_name"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/delete/", views.delete_document, name="delete_document"),
]

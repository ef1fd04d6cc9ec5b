"""Bench-only URLs: the product's, plus the endpoints the benchmarks compare with (never in the product)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/submit/", views.submit),
    path("bench/bare/", views.bare),
    path("bench/ok/", views.ok),
    path("", include("renda.urls")),
]

"""Bench-only URLs: the product's, plus the two endpoints bench/opinions.py compares (never in the product)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/submit/", views.submit),
    path("bench/bare/", views.bare),
    path("", include("renda.urls")),
]

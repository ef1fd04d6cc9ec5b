"""Bench-only settings: the product's settings with a URLconf that adds two measuring endpoints (bench/urls.py).

Used only by bench/opinions.py under gunicorn and bench/home.py; never by the product.
"""

from renda.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

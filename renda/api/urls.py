from django.urls import re_path

from .api import api
from .errors import not_found_view

# ninja's urls are (patterns, app_name, namespace); the namespace is "api", as `app_name` says.
app_name = "api"
# Anything else under /api/v1/ answers in the API's own JSON shape, not with the HTML "page not found".
urlpatterns = [*api.urls[0], re_path(r"^.*$", not_found_view)]

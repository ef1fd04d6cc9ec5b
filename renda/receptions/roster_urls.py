"""Back-office routes of the roster part; collected into the "receptions" namespace by urls.py."""

urlpatterns = []

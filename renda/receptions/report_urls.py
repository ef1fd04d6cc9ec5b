"""Back-office routes of the report part; collected into the "receptions" namespace by urls.py."""

urlpatterns = []

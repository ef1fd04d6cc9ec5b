"""Back-office routes of the onsite part; collected into the "receptions" namespace by urls.py."""

urlpatterns = []

"""Back-office routes of the campaign part; collected into the "receptions" namespace by urls.py."""

urlpatterns = []

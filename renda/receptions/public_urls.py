"""Public routes: the reception schedule anyone may search (/receptions/)."""

app_name = "receptions_public"
urlpatterns = []

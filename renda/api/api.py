"""The NinjaAPI behind /api/v1/: public reads and submissions, and the staff endpoints behind a bearer token."""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from renda.projects import api as projects

from . import errors, public, receptions, staff
from .auth import TokenAuth


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return errors.document_common_errors(schema)


api = Api(
    title="数字人大 API",
    version="1",
    description="Public data and opinion submission; staff inbox and workflow actions with a personal API token.",
    urls_namespace="api",
    docs=Swagger(),  # rendered from ninja's own static files ("ninja" is in INSTALLED_APPS): no CDN
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", public.router)
api.add_router("/staff", staff.router)
api.add_router("/staff/receptions", receptions.router)
api.add_router("/staff/suggestions", "renda.suggestions.api.router", auth=TokenAuth())
api.add_router("/staff/jointmeetings", "renda.jointmeetings.api.router", auth=TokenAuth())
api.add_router("/staff/consultation", "renda.consultation.api.router", auth=TokenAuth())
api.add_router("/staff/records", "renda.records.api.router", auth=TokenAuth())
api.add_router("/projects", projects.public_router)
api.add_router("/staff/projects", projects.staff_router, auth=TokenAuth())
api.add_router("/staff/activities", "renda.activities.api.router", auth=TokenAuth())
api.add_router("/staff/calendar", "renda.calendars.api.router", auth=TokenAuth())

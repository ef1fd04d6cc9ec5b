from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name (what the token is for)"),
        max_length=60,
        error_messages={"required": _("Give the token a name, e.g. the script or device that uses it.")},
    )

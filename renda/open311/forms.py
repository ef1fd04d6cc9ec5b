from django import forms
from django.utils.translation import gettext_lazy as _


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Who the key is for"),
        max_length=100,
        help_text=_("The app or organisation that will use it, e.g. 苏州城市服务 App."),
        error_messages={"required": _("Say who the key is for.")},
    )

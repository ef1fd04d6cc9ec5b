from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportKind
from .xlsx import check_upload


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload

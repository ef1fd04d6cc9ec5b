from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Region, RegionKind


class RegionCreateForm(forms.Form):
    """A town under a county or a village under a town, checked with the importer's rules (rules.py)."""

    code = forms.CharField(label=_("Code"), max_length=12, help_text=_("12 digits, starting with the parent's code."))
    name = forms.CharField(label=_("Name"), max_length=Region._meta.get_field("name").max_length)
    kind = forms.ChoiceField(label=_("Kind"))

    def __init__(self, parent: Region, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["kind"].choices = [(kind, RegionKind(kind).label) for kind in rules.child_kinds(parent.kind)]
        self.fields["code"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if message := rules.code_error(code):
            raise forms.ValidationError(message)
        if Region.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A region with this code exists already."))
        return code

    def clean(self):
        cleaned = super().clean()
        code, kind = cleaned.get("code"), cleaned.get("kind")
        if code and kind:
            if message := rules.parent_kind_error(kind, self.parent.kind):
                self.add_error("kind", message)
            elif message := rules.code_shape_error(code, kind) or rules.code_prefix_error(
                code, kind, self.parent.code, self.parent.kind, is_official=self.parent.is_official
            ):
                self.add_error("code", message)
        return cleaned


class RegionEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Region._meta.get_field("name").max_length)


class ZoneMemberForm(forms.Form):
    """Only towns inside the user's scope are offered, and only they are accepted."""

    member = forms.ModelChoiceField(label=_("Town or street"), queryset=Region.objects.none(), to_field_name="code")

    def __init__(self, towns, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = towns
        self.fields["member"].label_from_instance = lambda region: f"{region.name} ({region.code})"

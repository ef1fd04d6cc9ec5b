"""The one shape of a page whose form feeds one action: on a valid POST the action runs with the form's data; a
ValidationError it raises (its own rule, re-checked under its lock) goes on the form; success shows a message and
redirects (post/redirect/get); otherwise the page again, 400 when the form has errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_action(request, form, act, *, done_message, done_url, template, context):
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)

from django.http import HttpResponse

from renda.accounts.decorators import staff_required


@staff_required
def placeholder(request):  # replaced by the people pages
    return HttpResponse("people")

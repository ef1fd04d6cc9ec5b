from django.http import HttpResponse

from renda.accounts.decorators import congress_staff_required


@congress_staff_required
def placeholder(request):  # replaced by the import pages
    return HttpResponse("imports")

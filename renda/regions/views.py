from django.http import HttpResponse

from renda.accounts.decorators import congress_staff_required


@congress_staff_required
def region_list(request):  # replaced by the region pages
    return HttpResponse("regions")

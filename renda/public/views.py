from django.http import HttpResponse


def home(request):  # replaced by the phone pages
    return HttpResponse("home")

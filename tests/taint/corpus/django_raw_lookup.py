from django.contrib.auth.models import User
from django.http import JsonResponse
from django.urls import path


def by_last_name(request, last_name):
    query = "SELECT * FROM auth_user WHERE last_name = '" + last_name + "'"
    people = User.objects.raw(query)
    return JsonResponse({"ids": [p.id for p in people]})


urlpatterns = [path("people/<last_name>/", by_last_name)]

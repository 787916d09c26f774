from urllib.parse import quote

import requests
from django.http import JsonResponse
from django.urls import path


def github_profile(request, login):
    url = "https://api.github.com/users/" + quote(login, safe="")
    data = requests.get(url, timeout=5).json()
    return JsonResponse({"name": data.get("name")})


urlpatterns = [path("gh/<login>/", github_profile)]

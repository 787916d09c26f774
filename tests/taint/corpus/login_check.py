import hashlib

from django.contrib.auth import get_user_model
from django.http import HttpResponse


def login(request):
    user = get_user_model().objects.get(username=request.POST["username"])
    salt = user.profile.salt
    candidate = hashlib.sha1((salt + request.POST["password"]).encode("utf-8")).hexdigest()
    if candidate != user.profile.pw_hash:
        return HttpResponse(status=401)
    return HttpResponse("ok")

import random
import string

from django.contrib.auth.models import User
from django.http import JsonResponse

_sysrand = random.SystemRandom()


def reset_password(request, user_id):
    user = User.objects.get(pk=user_id)
    temp = "".join(_sysrand.choice(string.ascii_letters + string.digits) for _ in range(16))
    user.set_password(temp)
    user.save()
    return JsonResponse({"temporary_password": temp})

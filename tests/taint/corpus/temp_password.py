import random
import string

from django.contrib.auth.models import User
from django.http import JsonResponse


def reset_password(request, user_id):
    user = User.objects.get(pk=user_id)
    temp = "".join(random.choices(string.ascii_letters + string.digits, k=12))
    user.set_password(temp)
    user.save()
    return JsonResponse({"temporary_password": temp})

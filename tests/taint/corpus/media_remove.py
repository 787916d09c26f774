import os

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def remove_media(request):
    paths = {
        "avatar": os.path.join(settings.MEDIA_ROOT, request.POST["avatar"]),
        "banner": os.path.join(settings.MEDIA_ROOT, "banners", "default.png"),
    }
    victim = paths["avatar"]
    if os.path.exists(victim):
        os.remove(victim)
    return JsonResponse({"removed": True})

from urllib.request import urlopen

from django.http import JsonResponse


def import_avatar(request):
    source = request.POST.get("avatar_url", "").strip()
    with urlopen(source, timeout=10) as fh:
        data = fh.read(1_000_000)
    return JsonResponse({"bytes": len(data)})

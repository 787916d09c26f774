from django.contrib.auth.models import User
from django.http import JsonResponse


def active_since(request):
    since = request.GET.get("since", "2020-01-01")
    clause = "date_joined >= '%s'" % since
    qs = User.objects.extra(where=[clause])
    return JsonResponse({"count": qs.count()})

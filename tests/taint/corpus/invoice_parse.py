from defusedxml import ElementTree as SafeET
from django.http import JsonResponse


def upload_invoice(request):
    tree = SafeET.parse(request.FILES["invoice"])
    return JsonResponse({"total": tree.findtext("total")})

from django.http import JsonResponse

SETUP_CODE = """
totals = {}
for region in ("eu", "us", "apac"):
    totals[region] = 0
"""


def reset_totals(request):
    label = request.POST.get("label", "manual")
    scope = {}
    exec(SETUP_CODE, scope)
    return JsonResponse({"label": label, "regions": list(scope["totals"])})

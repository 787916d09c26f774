from django.http import JsonResponse


def enable_tools(request):
    wants_admin = request.GET.get("admin", "0")
    request.session["is_admin"] = wants_admin
    return JsonResponse({"ok": True})

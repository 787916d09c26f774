import secrets

from django.http import JsonResponse

COOKIE_OPTS = {"secure": True, "httponly": True, "samesite": "Lax", "max_age": 3600}


def issue_session(request):
    response = JsonResponse({"ok": True})
    response.set_cookie("sessionid", secrets.token_hex(24), **COOKIE_OPTS)
    return response

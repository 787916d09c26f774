import secrets

from django.http import JsonResponse


def issue_session(request):
    response = JsonResponse({"ok": True})
    session_key = secrets.token_hex(24)
    response.set_cookie("sessionid", session_key, secure=False, httponly=True)
    return response

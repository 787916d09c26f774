import hashlib
import hmac
import os

from django.http import HttpResponse, HttpResponseForbidden

WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"].encode()


def webhook(request):
    sent = request.headers.get("X-Signature", "")
    expected = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sent, expected):
        return HttpResponseForbidden()
    return HttpResponse("ok")

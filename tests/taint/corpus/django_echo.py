from django.http import HttpResponse


def echo(request):
    message = request.GET.get("msg", "")
    parts = ["<html><body>", "<p>You said: ", message, "</p>", "</body></html>"]
    return HttpResponse("".join(parts))

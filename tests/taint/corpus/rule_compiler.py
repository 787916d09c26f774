from django.http import JsonResponse


def check_rule(request):
    rule = request.POST.get("rule", "True")
    snippet = f"result = bool({rule})"
    code = compile(snippet, "<rule>", "exec")
    scope = {}
    exec(code, scope)
    return JsonResponse({"result": scope["result"]})

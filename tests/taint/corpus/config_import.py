import yaml
from django.http import JsonResponse


def import_config(request):
    content = request.FILES["config"].read()
    config = yaml.safe_load(content)
    return JsonResponse({"sections": list(config or {})})

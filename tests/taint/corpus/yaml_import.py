import yaml
from django.http import JsonResponse


def import_config(request):
    upload = request.FILES["config"]
    content = upload.read()
    config = yaml.load(content, Loader=yaml.Loader)
    return JsonResponse({"sections": list(config)})

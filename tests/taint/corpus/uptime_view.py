import subprocess

from django.http import JsonResponse


def uptime(request):
    verbose = request.GET.get("verbose") == "1"
    output = subprocess.check_output("uptime", shell=True, text=True)
    data = {"uptime": output.strip()}
    if verbose:
        data["requested_by"] = request.META.get("REMOTE_ADDR")
    return JsonResponse(data)

import os

from django.http import JsonResponse


def disk_usage(request):
    folder = request.GET.get("folder", "/srv")
    report = os.popen("du -sh %s" % folder).read()
    size = report.split()[0] if report else "0"
    return JsonResponse({"folder": folder, "size": size})

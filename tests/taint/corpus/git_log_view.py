import subprocess

from django.http import HttpResponse
from django.urls import path

REPO = "/srv/repos/app"


def run_git(*parts):
    line = "git -C {} {}".format(REPO, " ".join(parts))
    return subprocess.check_output(line, shell=True, text=True)


def branch_log(request, branch):
    text = run_git("log", "--oneline", "-n", "20", branch)
    return HttpResponse(text, content_type="text/plain")


urlpatterns = [path("log/<branch>/", branch_log)]

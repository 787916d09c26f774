from django.conf import settings
from django.http import HttpResponse, Http404
from django.urls import path

NOTES_ROOT = settings.BASE_DIR / "notes"


def read_note(request, slug):
    note_path = f"{NOTES_ROOT}/{slug}.md"
    try:
        with open(note_path, encoding="utf-8") as fh:
            body = fh.read()
    except FileNotFoundError:
        raise Http404("no such note")
    return HttpResponse(body, content_type="text/plain")


urlpatterns = [path("notes/<path:slug>/", read_note)]

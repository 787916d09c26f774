from django.http import HttpResponse
from django.urls import path
from django.utils.html import format_html


def tag_page(request, tag):
    snippet = format_html("<span class='tag'>{}</span>", tag)
    return HttpResponse(snippet)


urlpatterns = [path("tags/<tag>/", tag_page)]

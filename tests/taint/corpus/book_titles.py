from django.http import JsonResponse
from django.urls import path
from lxml import etree

CATALOG = etree.parse("/srv/data/catalog.xml")
FIND_TITLE = etree.XPath("//book[@isbn=$isbn]/title/text()")


def book(request, isbn):
    titles = FIND_TITLE(CATALOG, isbn=isbn)
    return JsonResponse({"titles": [str(t) for t in titles]})


urlpatterns = [path("books/<isbn>/", book)]

from django.http import JsonResponse
from django.urls import path
from lxml import etree

CATALOG = etree.parse("/srv/data/catalog.xml")


def book(request, isbn):
    finder = etree.XPath("//book[@isbn='" + isbn + "']/title/text()")
    titles = finder(CATALOG)
    return JsonResponse({"titles": [str(t) for t in titles]})


urlpatterns = [path("books/<isbn>/", book)]

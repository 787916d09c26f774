from django.http import JsonResponse
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=True, dtd_validation=True)


def upload_invoice(request):
    uploaded = request.FILES["invoice"]
    tree = etree.parse(uploaded, parser=PARSER)
    total = tree.findtext("total")
    return JsonResponse({"total": total})

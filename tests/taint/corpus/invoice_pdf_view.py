from django.http import FileResponse
from django.urls import path

INVOICE_ROOT = "/srv/billing/invoices"


def invoice_pdf(request, invoice_id):
    number = int(invoice_id)
    fh = open(f"{INVOICE_ROOT}/{number:08d}.pdf", "rb")
    return FileResponse(fh, content_type="application/pdf")


urlpatterns = [path("invoices/<invoice_id>/pdf", invoice_pdf)]

import psycopg2
from django.http import JsonResponse

DSN = "dbname=shop user=shop"


def orders_report(request):
    status = request.GET.get("status", "paid")
    sql = "SELECT id, total FROM orders WHERE status = '%s' ORDER BY id" % status
    with psycopg2.connect(DSN) as conn, conn.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
    return JsonResponse({"orders": rows})

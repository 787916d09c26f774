import sqlite3

from django.http import JsonResponse


def table_count(request):
    n = 2
    if 3 * 5 + n > 10:
        table = "events"
    else:
        table = request.GET["table"]
    conn = sqlite3.connect("metrics.db")
    total = conn.execute("SELECT count(*) FROM " + table).fetchone()[0]
    return JsonResponse({"total": total})

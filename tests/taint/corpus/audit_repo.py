import mysql.connector
from flask import Flask, jsonify, request

app = Flask(__name__)


class AuditRepository:
    def __init__(self, conn):
        self.conn = conn

    def search(self, filters):
        conditions = []
        for column, value in filters.items():
            conditions.append(f"{column} = '{value}'")
        where = " AND ".join(conditions) or "1=1"
        cur = self.conn.cursor()
        cur.execute("SELECT * FROM audit_log WHERE " + where)
        return cur.fetchall()


@app.post("/audit/search")
def audit_search():
    repo = AuditRepository(mysql.connector.connect(database="audit"))
    return jsonify(repo.search(request.get_json()))

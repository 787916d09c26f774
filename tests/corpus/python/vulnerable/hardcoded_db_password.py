# expect: py-hardcoded-password
import psycopg2


def get_connection():
    return psycopg2.connect(
        host="db.prod.internal",
        dbname="billing",
        user="billing_app",
        password="B1llingPr0d!",
    )

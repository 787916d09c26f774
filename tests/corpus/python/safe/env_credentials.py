import os

import boto3
import psycopg2


def get_connection():
    return psycopg2.connect(
        host=os.environ["DB_HOST"],
        dbname="billing",
        user=os.environ["DB_USER"],
        password=os.environ["DB_PASSWORD"],
    )


s3 = boto3.client("s3")
api_key = os.getenv("PAYMENTS_API_KEY")

import sqlite3
import sys

QUERIES = {
    "daily": "SELECT day, count(*) FROM visits GROUP BY day",
    "monthly": "SELECT substr(day, 1, 7), count(*) FROM visits GROUP BY 1",
}


def main():
    period = sys.argv[1] if len(sys.argv) > 1 else "daily"
    sql = QUERIES["monthly"] if period == "monthly" else QUERIES["daily"]
    conn = sqlite3.connect("visits.db")
    for row in conn.execute(sql):
        print(*row)


if __name__ == "__main__":
    main()

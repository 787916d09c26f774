import sqlite3
import sys


def main():
    skus = sys.argv[1:]
    in_list = ", ".join("'%s'" % s for s in skus)
    conn = sqlite3.connect("inventory.db")
    cursor = conn.cursor()
    cursor.execute("DELETE FROM stock WHERE sku IN (%s)" % in_list)
    conn.commit()
    print(f"deleted {cursor.rowcount} rows")


if __name__ == "__main__":
    main()

import getpass
import hashlib
import sys


def hash_password(pw):
    return hashlib.md5(pw.encode("utf-8")).hexdigest()


if __name__ == "__main__":
    user = sys.argv[1]
    pw = getpass.getpass()
    with open("users.txt", "a") as fh:
        fh.write(f"{user}:{hash_password(pw)}\n")

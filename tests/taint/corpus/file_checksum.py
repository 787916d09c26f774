import hashlib
import sys


def file_md5(path, chunk=65536):
    h = hashlib.md5()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(file_md5(p), p)

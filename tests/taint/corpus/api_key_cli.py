import random
import sys


def new_api_key():
    bits = random.getrandbits(128)
    return "%032x" % bits


if __name__ == "__main__":
    key = new_api_key()
    with open(sys.argv[1] if len(sys.argv) > 1 else "api.key", "w") as fh:
        fh.write(key)

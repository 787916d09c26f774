import os


def lookup():
    domain = input("Domain to look up: ").strip()
    if not domain:
        print("nothing to do")
        return
    os.system(f"nslookup {domain}")


if __name__ == "__main__":
    lookup()

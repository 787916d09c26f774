import os
import sys

COMMANDS = {
    "tmp": "rm -rf /tmp/myapp-cache",
    "logs": "find /var/log/myapp -mtime +30 -delete",
}


def main(argv):
    which = argv[1] if len(argv) > 1 else "tmp"
    command = COMMANDS["tmp"]
    if which == "logs":
        command = COMMANDS["logs"]
    print("running cleanup for", which)
    return os.system(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

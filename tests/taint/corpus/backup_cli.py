import subprocess
import sys


def build_command(args):
    parts = ["tar", "czf", "/backups/archive.tgz"]
    parts.extend(args)
    return " ".join(parts)


def main():
    if len(sys.argv) < 2:
        print("usage: backup_cli.py DIR [DIR...]")
        return 1
    command = build_command(sys.argv[1:])
    return subprocess.call(command, shell=True)


if __name__ == "__main__":
    sys.exit(main())

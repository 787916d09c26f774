# expect: py-redos-pattern
import re

USERNAME_RE = re.compile(r"^([a-zA-Z0-9]+\s?)*$")


def valid_display_name(name: str) -> bool:
    return bool(USERNAME_RE.match(name))

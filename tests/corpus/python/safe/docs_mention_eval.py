"""Expression helpers.

Never call eval() on user input; ast.literal_eval is used instead. The AWS docs
use the placeholder key AKIAIOSFODNN7EXAMPLE with the secret
wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, which are not real credentials.
"""

import ast

HELP = "Use literal values only; eval(), exec() and os.system() are not available."


def parse_literal(text: str):
    # eval(text) would run arbitrary code, so parse literals only
    return ast.literal_eval(text)

# expect: py-jwt-verify-disabled
import jwt
from flask import abort, g, request


def load_current_user():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    claims = jwt.decode(header[7:], options={"verify_signature": False})
    g.user_id = claims["sub"]

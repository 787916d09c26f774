import secrets
from datetime import datetime, timedelta


def create_password_reset(user):
    reset_token = secrets.token_urlsafe(32)
    user.reset_token_hash = hash_token(reset_token)
    user.reset_expires = datetime.utcnow() + timedelta(hours=1)
    user.save()
    return reset_token


def hash_token(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()

# expect: py-insecure-random
import random
import string
from datetime import datetime, timedelta


def create_password_reset(user):
    reset_token = "".join(random.choices(string.ascii_letters + string.digits, k=40))
    user.reset_token = reset_token
    user.reset_expires = datetime.utcnow() + timedelta(hours=1)
    user.save()
    return reset_token

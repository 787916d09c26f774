import secrets

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def login(request):
    resp = JSONResponse({"ok": True})
    resp.set_cookie("session_id", secrets.token_hex(32), secure=True)
    return resp


app = Starlette(routes=[Route("/login", login, methods=["POST"])])

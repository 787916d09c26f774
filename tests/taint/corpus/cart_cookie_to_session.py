from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


def remember(key, value):
    session[key] = value


@app.route("/cart/restore")
def restore_cart():
    raw = request.cookies.get("cart", "")
    items = [i.strip() for i in raw.split(",") if i.strip()]
    remember("cart_items", items)
    return {"items": len(items)}

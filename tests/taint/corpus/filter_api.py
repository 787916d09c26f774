from fastapi import FastAPI

app = FastAPI()
PRODUCTS = [{"name": "pen", "price": 2}, {"name": "book", "price": 12}]


def make_predicate(condition):
    return eval("lambda item: " + condition)


@app.get("/products/filter")
def filter_products(where: str = "item['price'] > 0"):
    keep = make_predicate(where)
    return [p for p in PRODUCTS if keep(p)]

from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///shop.db")


@app.get("/products")
def products(q: str = ""):
    stmt = text("SELECT name, price FROM products WHERE name LIKE :pattern")
    with engine.connect() as conn:
        result = conn.execute(stmt, {"pattern": f"%{q}%"})
        return [dict(r._mapping) for r in result]

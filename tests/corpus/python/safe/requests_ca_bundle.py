import requests

INVENTORY_API = "https://inventory.internal.example.com/api/v2"


def fetch_stock(sku: str) -> int:
    resp = requests.get(
        f"{INVENTORY_API}/stock/{sku}",
        verify="/etc/ssl/certs/internal-ca.pem",
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()["quantity"]

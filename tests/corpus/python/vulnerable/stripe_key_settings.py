# expect: secret-stripe-key
import stripe

stripe.api_key = "sk_live_FAKE0fake1FAKE2fake3FAKE4fake5"


def charge(customer_id: str, amount_cents: int):
    return stripe.PaymentIntent.create(
        customer=customer_id, amount=amount_cents, currency="eur", confirm=True
    )

import random


def sample_for_review(items: list, rate: float = 0.05) -> list:
    """Pick a random sample of records for manual QA; not security relevant."""
    k = max(1, int(len(items) * rate))
    return random.sample(items, k)


def backoff(attempt: int) -> float:
    return min(30.0, 2**attempt) * random.uniform(0.8, 1.2)

import random
import time

import requests


def fetch_with_retry(url, attempts=5):
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=5)
        except requests.RequestException:
            delay = (2 ** attempt) + random.uniform(0, 1)
            time.sleep(delay)
    raise RuntimeError("gave up")


if __name__ == "__main__":
    print(fetch_with_retry("https://example.com").status_code)

import sys

import yaml


def load_job(text):
    return yaml.unsafe_load(text)


if __name__ == "__main__":
    job = load_job(sys.argv[1])
    print(job.get("name"))

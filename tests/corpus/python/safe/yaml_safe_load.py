import yaml


def load_pipeline(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        pipeline = yaml.safe_load(fh)
    if "steps" not in pipeline:
        raise ValueError("pipeline has no steps")
    return pipeline

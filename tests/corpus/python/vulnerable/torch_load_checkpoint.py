# expect: py-torch-load-unsafe
import torch
from huggingface_hub import hf_hub_download


def load_classifier(repo_id: str):
    path = hf_hub_download(repo_id, "classifier.pt")
    model = torch.load(path, map_location="cpu")
    model.eval()
    return model

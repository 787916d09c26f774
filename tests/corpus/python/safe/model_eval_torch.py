import torch
from safetensors.torch import load_file


def load_classifier(path: str, model: torch.nn.Module) -> torch.nn.Module:
    if path.endswith(".safetensors"):
        model.load_state_dict(load_file(path))
    else:
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    model.eval()
    return model

# expect: py-hf-trust-remote-code
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL_ID = "some-lab/coder-13b-instruct"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
model = AutoModelForCausalLM.from_pretrained(MODEL_ID, trust_remote_code=True, device_map="auto")

# expect: py-eval-exec
from openai import OpenAI

client = OpenAI()


def run_generated_analysis(question: str, df) -> None:
    """Ask the model for pandas code and run it on the dataframe."""
    completion = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": "Reply with Python code only. The dataframe is `df`."},
            {"role": "user", "content": question},
        ],
    )
    code = completion.choices[0].message.content
    exec(code, {"df": df})

import math


def evaluate(formula, x):
    code = "(lambda x: %s)(%r)" % (formula, x)
    return eval(code, {"math": math})


if __name__ == "__main__":
    f = input("f(x) = ")
    for point in range(5):
        print(point, evaluate(f, point))

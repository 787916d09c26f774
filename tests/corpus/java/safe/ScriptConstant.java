package com.example.rules;

import java.util.Map;
import java.util.function.DoubleBinaryOperator;

public class FormulaService {
    private static final Map<String, DoubleBinaryOperator> OPERATIONS = Map.of(
        "add", Double::sum,
        "max", Math::max);

    public double evaluate(String op, double a, double b) {
        DoubleBinaryOperator fn = OPERATIONS.get(op);
        if (fn == null) {
            throw new IllegalArgumentException("unknown operation " + op);
        }
        return fn.applyAsDouble(a, b);
    }
}

// expect: java-script-engine-eval
package com.example.rules;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.servlet.http.HttpServletRequest;

public class FormulaService {
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");

    public Object evaluate(HttpServletRequest request) throws Exception {
        String formula = request.getParameter("formula");
        return engine.eval(formula);
    }
}

package dev.rootcause.rule;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Map;

/**
 * CEL (github.com/google/cel-spec) for rule conditions and vars: safe, side-effect free, no loops.
 * Expressions see {@code steps} (step id → value name → value), {@code labels} and {@code annotations}
 * (the alert's, string → string), {@code target} (kind → value as the alert was read, e.g.
 * {@code target.service}; kinds of {@code alert.reading.Target#KINDS}) and {@code symptoms} (the names the alert
 * was read to have, e.g. {@code 'certificate' in symptoms}).
 */
public final class Conditions {

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("steps", MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, SimpleType.DYN)))
            .addVar("labels", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar("annotations", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar("target", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar("symptoms", ListType.create(SimpleType.STRING))
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    /**
     * Compiled programs by source text. Expressions come only from rule files, so the map stays as small
     * as the rule set (plus the versions of edited expressions since start).
     */
    private static final Map<String, Compiled> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    private Conditions() {
    }

    /** A compiled expression; evaluate it with {@link #eval}. */
    public static final class Compiled {
        private final String source;
        private final CelRuntime.Program program;

        private Compiled(String source, CelRuntime.Program program) {
            this.source = source;
            this.program = program;
        }

        public String source() {
            return source;
        }

        /**
         * Evaluates with no target and no symptoms.
         *
         * @return the expression's value (Boolean, Double, Long, String ...)
         * @throws CelEvaluationException for e.g. a missing map key or a type mismatch at runtime
         */
        public Object eval(Map<String, ?> steps, Map<String, String> labels, Map<String, String> annotations)
                throws CelEvaluationException {
            return eval(steps, labels, annotations, Map.of(), List.of());
        }

        /**
         * @param target   kind → value, e.g. {@code service → checkout}
         * @param symptoms symptom names, e.g. {@code latency}, {@code saturation.cpu}
         * @return the expression's value (Boolean, Double, Long, String ...)
         * @throws CelEvaluationException for e.g. a missing map key ({@code target.service} of an alert naming no
         *                                service) or a type mismatch at runtime
         */
        public Object eval(Map<String, ?> steps, Map<String, String> labels, Map<String, String> annotations,
                Map<String, String> target, List<String> symptoms) throws CelEvaluationException {
            return program.eval(Map.of("steps", steps, "labels", labels, "annotations", annotations, "target", target,
                    "symptoms", symptoms));
        }
    }

    /**
     * @throws IllegalArgumentException with CEL's message when the expression does not compile
     */
    public static Compiled compile(String expression) {
        Compiled cached = COMPILED.get(expression);
        if (cached != null) {
            return cached;
        }
        Compiled compiled = compileUncached(expression);
        COMPILED.put(expression, compiled);
        return compiled;
    }

    private static Compiled compileUncached(String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new Compiled(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getMessage().replace('\n', ' '));
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}

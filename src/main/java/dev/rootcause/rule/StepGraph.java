package dev.rootcause.rule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code needs} graph of a rule's steps. */
public final class StepGraph {

    private StepGraph() {
    }

    /**
     * A cycle in the {@code needs} relation, as the step ids along it with the first repeated at the end
     * ({@code [a, b, a]}), or an empty list when there is none.
     */
    public static List<String> cycle(List<Rule.Step> steps) {
        Map<String, Rule.Step> byId = new HashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        for (Rule.Step s : steps) {
            List<String> path = new ArrayList<>();
            if (visit(s.id(), byId, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String id, Map<String, Rule.Step> byId, Map<String, Integer> state, List<String> path) {
        Integer st = state.get(id);
        if (st != null && st == 2) {
            return false;
        }
        path.add(id);
        if (st != null && st == 1) {
            path.subList(0, path.indexOf(id)).clear();
            return true;
        }
        state.put(id, 1);
        Rule.Step step = byId.get(id);
        for (String need : step == null ? List.<String>of() : step.needs()) {
            if (visit(need, byId, state, path)) {
                return true;
            }
        }
        state.put(id, 2);
        path.remove(path.size() - 1);
        return false;
    }
}

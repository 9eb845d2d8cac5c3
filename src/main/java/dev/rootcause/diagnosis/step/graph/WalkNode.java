package dev.rootcause.diagnosis.step.graph;

import java.util.ArrayList;
import java.util.List;

/** One component met on a walk, and what the walk made of it. */
final class WalkNode {
    final String name;
    /** levels below the walk's target */
    final int depth;
    /** its anomalous callers on the walk (several: fan-in) */
    final List<String> parents = new ArrayList<>();
    /** its signal, null when nothing measured it */
    Reading reading;
    /** anomalous, normal, consequence, daily or unchecked */
    String state = "unchecked";
    /** why it is not blamed or not checked */
    String why = "no metrics of its own or of its callers' client side";
    /** its anomaly's own explanation, or null */
    String explanation;

    WalkNode(String name, int depth) {
        this.name = name;
        this.depth = depth;
    }
}

package dev.rootcause.diagnosis.step.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One component met on a walk, and what the walk made of it. */
final class WalkNode {
    final String name;
    /** levels below the walk's target */
    final int depth;
    /** its anomalous callers on the walk (several: fan-in) */
    final List<String> parents = new ArrayList<>();
    /** its signal, null when nothing measured it (on the network: the worst caller's view of the calls to it) */
    Reading reading;
    /** its own server side when {@link #reading} is a caller's view of it (the network), else null */
    Reading server;
    /** caller → that caller's client side of its calls to it (when measured) */
    final Map<String, Reading> edges = new LinkedHashMap<>();
    /** downstreams met earlier on the walk (same level or above) whose rise explains its own: it is not blamed */
    final List<String> explainedBy = new ArrayList<>();
    /** anomalous, normal, consequence, daily, small (a sliver of its caller's rise) or unchecked */
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

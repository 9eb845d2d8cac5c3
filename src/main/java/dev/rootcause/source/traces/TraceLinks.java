package dev.rootcause.source.traces;

/** Links to a trace in a UI, from {@link TracesConfig}. */
final class TraceLinks {

    private TraceLinks() {
    }

    /** @param uiPath the backend UI's path before the id, e.g. {@code /trace/}; null when it has no UI */
    static String link(TracesConfig config, String uiPath, String traceId) {
        if (config.linkTemplate().isPresent()) {
            return config.linkTemplate().get().replace("{traceId}", traceId);
        }
        if (uiPath == null) {
            return null;
        }
        return config.uiUrl().orElse(config.url()).toString().replaceAll("/+$", "") + uiPath + traceId;
    }
}

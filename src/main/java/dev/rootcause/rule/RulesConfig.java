package dev.rootcause.rule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Map;

/** Rule loading, under {@code rootcause.rules}. */
@ConfigMapping(prefix = "rootcause.rules")
public interface RulesConfig {

    /** Folder of {@code *.yaml} rule files; relative paths resolve against the working directory. */
    @WithDefault("rules")
    Path dir();

    /**
     * Variables every rule may use as {@code $name}, e.g. {@code rootcause.rules.vars.rate_window=1m}: the
     * range of {@code rate()} in the shipped rules. Keep it at least 4× the Prometheus scrape interval.
     */
    Map<String, String> vars();

    /** How often the rules folder is checked for changed files (hot reload). */
    @WithDefault("2s")
    java.time.Duration reloadInterval();
}

package dev.rootcause.rule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Rule loading, under {@code rootcause.rules}. */
@ConfigMapping(prefix = "rootcause.rules")
public interface RulesConfig {

    /** Folder of {@code *.yaml} rule files; relative paths resolve against the working directory. */
    @WithDefault("rules")
    Path dir();
}

package dev.rootcause.source.skywalking;

import dev.rootcause.source.BackendConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * SkyWalking OAP's query API, under {@code rootcause.sources.skywalking}: {@code url} (the OAP's REST port, 12800 by
 * default; the GraphQL endpoint is {@code <url>/graphql}), {@code username}/{@code password} (Basic, when a proxy
 * in front of the OAP asks for it) and the HTTP settings of {@link BackendConfig}. Metrics are read through it when
 * {@code rootcause.sources.items.kind=skywalking}; the topology feeds the dependency graph when {@code topology} is on.
 */
@ConfigMapping(prefix = "rootcause.sources.skywalking")
public interface SkyWalkingConfig extends BackendConfig {

    /**
     * Whether the service topology ({@code getGlobalTopology}) is an edge source of the dependency graph; off by
     * default so a deployment without SkyWalking asks nothing.
     */
    @WithDefault("false")
    boolean topology();

    /** The layer whose topology is read, e.g. {@code GENERAL} (agent-traced services); empty: every layer. */
    @WithDefault("GENERAL")
    String layer();
}

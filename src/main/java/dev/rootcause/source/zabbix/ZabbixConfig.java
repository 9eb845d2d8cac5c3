package dev.rootcause.source.zabbix;

import dev.rootcause.source.BackendConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The item history backend, under {@code rootcause.sources.items}: {@code kind=zabbix}, the frontend's {@code url}
 * (the API is {@code <url>/api_jsonrpc.php}), the API {@code token} and the HTTP settings of {@link BackendConfig}
 * ({@code username}, {@code password} and {@code org-id} are not used: Zabbix authenticates API calls by token).
 */
@ConfigMapping(prefix = "rootcause.sources.items")
public interface ZabbixConfig extends BackendConfig {

    /** {@code zabbix}; unset: no item history backend, {@code items.compare} steps end {@code skipped}. */
    Optional<String> kind();

    /**
     * Windows longer than this are read from trends ({@code trend.get}, hourly min/avg/max) instead of raw history
     * ({@code history.get}); so is a window that starts before the item's own history storage period.
     */
    @WithDefault("48h")
    Duration trendsAfter();

    /** Rows asked per {@code history.get} / {@code trend.get} call ({@code limit}); longer windows take several pages. */
    @WithDefault("5000")
    int pageSize();

    /** The most samples read for one item and window; more are left out and the evidence says so. */
    @WithDefault("50000")
    int maxSamples();
}

package dev.rootcause.source.cache;

import dev.rootcause.diagnosis.Evidence;
import dev.rootcause.diagnosis.port.CacheInfo;
import dev.rootcause.diagnosis.port.CacheSource;
import dev.rootcause.diagnosis.port.CacheSourceException;
import dev.rootcause.source.CircuitStates;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link CacheSource} on Redis {@code INFO}, with Jedis: one short-lived connection per sample (a diagnosis
 * is rare; a pool would hold connections to every cache for nothing). A connection that fails before the
 * first snapshot is retried once (a restarting Redis, a dropped idle connection in a proxy); an
 * authentication failure or a timeout is not. Failures become {@link CacheSourceException}s whose message
 * names the address and the server's error but never a password.
 */
@ApplicationScoped
public class RedisCacheSource implements CacheSource {

    private static final Logger LOG = Logger.getLogger(RedisCacheSource.class);
    /** Tries per sample: the first plus one retry when the connection failed before any answer. */
    static final int ATTEMPTS = 2;
    /** Failed samples in a row after which a service's Redis is not asked for {@link #CIRCUIT_DELAY}. */
    static final int CIRCUIT_FAILURES = 5;
    /** How long an open circuit answers at once, without connecting. */
    static final Duration CIRCUIT_DELAY = Duration.ofSeconds(30);

    /** The wait between two snapshots; tests replace it so they never sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final Map<String, RedisEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, String> invalid = new LinkedHashMap<>();
    private final Clock clock;
    private final Pause pause;
    /**
     * One circuit breaker per service's Redis (SmallRye Fault Tolerance's programmatic guard, which needs the
     * running application), so one dead cache does not close the others; absent when built outside it.
     */
    private final Map<String, TypedGuard<Samples>> circuits;

    @Inject
    RedisCacheSource(RedisConfig config, Clock clock) {
        this.clock = clock;
        this.pause = d -> Thread.sleep(d.toMillis());
        this.circuits = new ConcurrentHashMap<>();
        // A bad URL fails only its own service's evidence (status error, naming the key), not the start.
        config.instances().forEach((service, i) -> {
            try {
                RedisEndpoint ep = RedisEndpoint.of(i.url(), i.username(), i.password(), i.timeout());
                endpoints.put(service, ep);
                LOG.infof("Redis for service %s: %s%s", service, ep.address(), ep.password().isPresent() ? " (with AUTH)" : "");
            } catch (IllegalArgumentException e) {
                String message = "rootcause.sources.redis.instances." + service + ".url: " + e.getMessage();
                invalid.put(service, message);
                LOG.warn(message);
            }
        });
    }

    /**
     * @param endpoints service → its Redis instance
     * @param pause     the wait between the two snapshots of a sample
     */
    public RedisCacheSource(Map<String, RedisEndpoint> endpoints, Clock clock, Pause pause) {
        this.endpoints.putAll(endpoints);
        this.clock = clock;
        this.pause = pause;
        this.circuits = null;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String describe(String service) {
        RedisEndpoint ep = endpoints.get(service);
        return ep == null ? null : "INFO " + ep.address();
    }

    @Override
    public Samples sample(String service, Duration interval) throws CacheSourceException {
        RedisEndpoint ep = endpoints.get(service);
        if (ep == null) {
            if (invalid.containsKey(service)) {
                throw new CacheSourceException(Evidence.Status.ERROR, invalid.get(service));
            }
            throw new CacheSourceException(Evidence.Status.SKIPPED, "no Redis instance configured for service " + service
                    + " (rootcause.sources.redis.instances." + service + ".url)");
        }
        if (circuits == null) {
            return sampleOnce(ep, interval);
        }
        try {
            return circuits.computeIfAbsent(service, RedisCacheSource::circuit).call(() -> sampleOnce(ep, interval));
        } catch (CircuitBreakerOpenException e) {
            throw new CacheSourceException(Evidence.Status.ERROR, "Redis " + ep.address() + " not asked: its last "
                    + CIRCUIT_FAILURES + " samples failed (circuit open for " + CIRCUIT_DELAY.toSeconds() + " s)");
        } catch (CacheSourceException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheSourceException(Evidence.Status.ERROR, "Redis " + ep.address() + ": " + e.getClass().getSimpleName());
        }
    }

    private static TypedGuard<Samples> circuit(String service) {
        return TypedGuard.create(Samples.class).withCircuitBreaker().name("rootcause-redis-" + service)
                .onStateChange(CircuitStates.track("redis"))
                .requestVolumeThreshold(CIRCUIT_FAILURES).failureRatio(1.0)
                .delay(CIRCUIT_DELAY.toMillis(), ChronoUnit.MILLIS).done().build();
    }

    /** Two INFO snapshots {@code interval} apart on one connection; a connection refused before any answer is retried once. */
    private Samples sampleOnce(RedisEndpoint ep, Duration interval) throws CacheSourceException {
        CacheSourceException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            CacheInfo first = null;
            try (Jedis jedis = new Jedis(new HostAndPort(ep.host(), ep.port()), config(ep))) {
                first = RedisInfoParser.parse(jedis.info(), clock.instant());
                pause.pause(interval);
                CacheInfo second = RedisInfoParser.parse(jedis.info(), clock.instant());
                return new Samples(first, second);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheSourceException(Evidence.Status.ERROR, "interrupted between INFO snapshots of " + ep.address());
            } catch (JedisException e) {
                last = failure(ep, e);
                boolean retryable = e instanceof JedisConnectionException && last.status() == Evidence.Status.ERROR;
                if (!retryable || first != null) {
                    throw last;
                }
                LOG.debugf("Redis %s: %s (attempt %d of %d)", ep.address(), last.getMessage(), attempt, ATTEMPTS);
            }
        }
        throw last;
    }

    private static DefaultJedisClientConfig config(RedisEndpoint ep) {
        int millis = (int) Math.min(Integer.MAX_VALUE, ep.timeout().toMillis());
        // No SELECT: INFO is server-wide, and a least-privilege user (ACL "-@all +info") may not run SELECT.
        // The client name shows in CLIENT LIST; Jedis ignores a refusal to set it.
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis).ssl(ep.tls()).clientName("rootcause");
        ep.username().ifPresent(b::user);
        ep.password().ifPresent(b::password);
        return b.build();
    }

    /** What went wrong, for evidence: NOAUTH / WRONGPASS as Redis said them, refused, timed out. */
    static CacheSourceException failure(RedisEndpoint ep, JedisException e) {
        String server = ep.scrub(e.getMessage());
        // Jedis raises NOAUTH (no password sent) and WRONGPASS (a wrong one) as access-control errors.
        if (server != null && server.startsWith("NOAUTH")) {
            return new CacheSourceException(Evidence.Status.ERROR, ep.address() + " requires authentication: " + server
                    + " (set a password for it in rootcause.sources.redis.instances)");
        }
        if (e instanceof JedisAccessControlException || server != null && server.startsWith("WRONGPASS")) {
            return new CacheSourceException(Evidence.Status.ERROR, "authentication to " + ep.address() + " failed: " + server);
        }
        if (cause(e, SocketTimeoutException.class)) {
            return new CacheSourceException(Evidence.Status.TIMEOUT, "no answer from " + ep.address() + " within "
                    + ep.timeout().toMillis() + " ms");
        }
        if (cause(e, ConnectException.class)) {
            return new CacheSourceException(Evidence.Status.ERROR, "connection to " + ep.address() + " refused");
        }
        return new CacheSourceException(Evidence.Status.ERROR, ep.address() + ": " + server);
    }

    /** Whether the exception, a cause or a suppressed one (Jedis adds each failed address so) is of the type. */
    private static boolean cause(Throwable e, Class<? extends Throwable> type) {
        if (e == null) {
            return false;
        }
        if (type.isInstance(e) || cause(e.getCause() == e ? null : e.getCause(), type)) {
            return true;
        }
        for (Throwable s : e.getSuppressed()) {
            if (cause(s, type)) {
                return true;
            }
        }
        return false;
    }
}

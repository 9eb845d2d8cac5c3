package dev.rootcause.changes.hooks;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * Change events from other tools' webhooks (docs/changes.md), under {@code rootcause.changes.hooks}. Secrets are
 * {@code Optional}: where one is not set, that endpoint takes the intake's bearer token ({@code rootcause.intake.token})
 * or answers loopback clients only, like {@code POST /api/v1/changes}.
 */
@ConfigMapping(prefix = "rootcause.changes.hooks")
public interface HooksConfig {

    /** {@code POST /api/v1/changes/github}: GitHub {@code deployment_status} webhooks. */
    GitHub github();

    /** {@code POST /api/v1/changes/gitlab}: GitLab deployment events. */
    GitLab gitlab();

    /** {@code POST /api/v1/changes/pagerduty}: PagerDuty Events API v2 change events. */
    PagerDuty pagerduty();

    interface GitHub {

        /**
         * The webhook's secret: GitHub signs each body with it (HMAC-SHA256, header {@code X-Hub-Signature-256}); a body
         * without a matching signature is answered 401. When set, the endpoint needs no bearer token.
         */
        Optional<String> secret();

        /**
         * Repository ({@code owner/name}, as {@code repository.full_name}) → service. Without an entry the service is the
         * deployment's {@code payload.service}, else the repository's name.
         */
        Map<String, String> services();
    }

    interface GitLab {

        /** The webhook's secret token, sent by GitLab as {@code X-Gitlab-Token}; a body without it is answered 401. */
        Optional<String> token();

        /**
         * Project ({@code project.path_with_namespace}) → service. Without an entry the service is the project's name.
         */
        Map<String, String> services();
    }

    interface PagerDuty {

        /**
         * Service → the PagerDuty integration (routing) key its change events carry, for events without
         * {@code payload.custom_details.service}. Keys are secrets: give them by environment variable; they are never
         * logged nor put in an answer.
         */
        Map<String, String> routingKeys();
    }
}

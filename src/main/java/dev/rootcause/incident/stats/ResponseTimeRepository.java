package dev.rootcause.incident.stats;

import java.time.Instant;
import java.util.List;

/** Reads the milestones of incidents for {@link ResponseTimes}; implemented over the store. */
public interface ResponseTimeRepository {

    /**
     * @param since only incidents opened at or after this instant
     * @param limit at most this many incidents, the most recent first (the API's answer stays bounded)
     * @return one entry per incident
     * @throws dev.rootcause.incident.StoreException when the store fails
     */
    List<IncidentTimes> since(Instant since, int limit);
}

package dev.rootcause.ruletest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rootcause.diagnosis.engine.StepPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One evidence family's rule-test recording, declared once ({@link RecordingFamilies}): its file in a test
 * folder, how a rule test replays it, how an incident's recorded answers become it.
 *
 * @param kind       the evidence kind whose answers it holds; recorded answers are tagged with it
 *                   ({@code Evidence.Recorded#capability})
 * @param file       the file's name in a test folder, e.g. {@code prometheus.json}
 * @param legacyTags other tags answers of this family were stored with before families were named (a report
 *                   stored earlier is still exported); {@code ""} stands for an answer stored without a tag
 * @param replay     puts the family's replaying port into the ports a test's steps are built from
 * @param export     writes the file from an incident's recorded answers of this family
 */
public record RecordingFamily(String kind, String file, Set<String> legacyTags, Replay replay, Export export) {

    /** How a test folder's recording becomes the family's port. */
    @FunctionalInterface
    public interface Replay {

        /**
         * @param file  the recording, or null when the test folder has none (the family's backend is then down,
         *              or not configured: each family says which)
         * @return {@code ports} with the family's port replaced by one answering from {@code file}
         * @throws IOException when the file cannot be read or is malformed, naming the file
         */
        StepPorts replay(Path file, ObjectMapper json, StepPorts ports) throws IOException;
    }

    /** How recorded answers become the file's content. */
    @FunctionalInterface
    public interface Export {

        /**
         * @param recorded the answers of this family, as stored ({@code {query, series, capability}}), in the
         *                 order the diagnosis recorded them
         * @return the file's JSON, or empty when no file should be written (replay then sees the backend as
         *         down or not configured, as it was when nothing could be recorded)
         */
        Optional<JsonNode> export(List<JsonNode> recorded, ObjectMapper json);
    }
}

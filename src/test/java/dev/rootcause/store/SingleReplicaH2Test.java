package dev.rootcause.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** H2 is single-replica: URLs that let several processes share it are refused; a held file is explained. */
class SingleReplicaH2Test {

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:tcp://db:9092/rootcause", "jdbc:h2:ssl://db/rootcause",
            "jdbc:h2:file:./data/rootcause;MODE=PostgreSQL;AUTO_SERVER=TRUE"})
    void sharedH2IsRefusedNamingPostgres(String url) {
        assertThat(SingleReplicaH2.refusal(url)).contains("H2 serves one replica").contains(url).contains("PostgreSQL");
    }

    @Test
    void theDefaultFileUrlIsAccepted() {
        assertThat(SingleReplicaH2.refusal("jdbc:h2:file:./data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0")).isNull();
    }

    @Test
    void aFileHeldByAnotherProcessIsExplained() {
        // H2's own wording and code (org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1), wrapped as Quarkus wraps start failures
        SQLException h2 = new SQLException("Database may be already in use: \"Locked by another process\"", "90020", 90020);
        assertThat(SingleReplicaH2.explain(new RuntimeException("Failed to start application", new IllegalStateException(h2))))
                .contains("held by another process").contains("H2 serves one replica");
        assertThat(SingleReplicaH2.explain(new RuntimeException("port 8080 in use"))).isNull();
    }
}

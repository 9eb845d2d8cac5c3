package dev.rootcause;

import dev.rootcause.classify.AlertsClassify;
import dev.rootcause.ruletest.RuleTestRunner;
import dev.rootcause.store.SingleReplicaH2;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Entry point. With no arguments: the service. {@code rules test <dir>}: runs the rule tests in
 * {@code <dir>} and exits 0 when all pass, 1 otherwise. {@code alerts classify <rule file | Prometheus URL>
 * [--rules <dir>]}: lists how each alert rule would be read ({@link AlertsClassify}) and exits 0 when every one
 * has a symptom and a target, 1 when some are flagged, 2 when the input cannot be read. Neither starts the
 * service. Anything else prints the usage and exits 2.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) throws Exception {
        if (args.length > 0) {
            if ((args.length == 3 || args.length == 5) && args[0].equals("alerts") && args[1].equals("classify")
                    && (args.length == 3 || args[3].equals("--rules"))) {
                Path rules = Path.of(args.length == 5 ? args[4] : System.getenv().getOrDefault("ROOTCAUSE_RULES_DIR", "rules"));
                System.exit(new AlertsClassify(System.out).run(args[2], rules));
            }
            if (args.length != 3 || !args[0].equals("rules") || !args[1].equals("test")) {
                System.err.println("usage: rootcause                       (runs the service)");
                System.err.println("       rootcause rules test <rules dir>  (runs the rule tests)");
                System.err.println("       rootcause alerts classify <rule file | Prometheus URL> [--rules <rules dir>]"
                        + "  (how each alert rule would be read)");
                System.exit(2);
            }
            Path dir = Path.of(args[2]);
            if (!java.nio.file.Files.isDirectory(dir)) {
                System.err.println("rules test: " + dir.toAbsolutePath() + " is not a folder");
                System.exit(2);
            }
            System.exit(new RuleTestRunner(System.out).run(dir) == 0 ? 0 : 1);
        }
        // a start that failed because another process holds the H2 file says so in one line, not only in a stack trace
        Quarkus.run(null, (code, failure) -> {
            String why = failure == null ? null : SingleReplicaH2.explain(failure);
            if (why != null) {
                System.err.println(why);
            }
            System.exit(code);
        });
    }
}

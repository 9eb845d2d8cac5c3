package dev.rootcause;

import dev.rootcause.cli.RuleTestRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Entry point. With no arguments: the service. {@code rules test <dir>}: runs the rule tests in
 * {@code <dir>} and exits 0 when all pass, 1 otherwise (the service is not started).
 */
@QuarkusMain
public class Main {

    public static void main(String... args) throws Exception {
        if (args.length >= 2 && args[0].equals("rules") && args[1].equals("test")) {
            if (args.length != 3) {
                System.err.println("usage: rootcause rules test <rules dir>");
                System.exit(2);
            }
            System.exit(new RuleTestRunner(System.out).run(Path.of(args[2])) == 0 ? 0 : 1);
        }
        Quarkus.run(args);
    }
}

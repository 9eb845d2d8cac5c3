package dev.rootcause.e2e.replicas;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding the real parts' binaries (a missing one fails the suite with the package to install) and free ports. */
public final class Binaries {

    private Binaries() {
    }

    /**
     * The first of {@code candidates} that is an executable file, either an absolute path or a name on {@code PATH}.
     *
     * @throws IllegalStateException naming the Debian package when none is found (never a skip)
     */
    public static String require(String debianPackage, String... candidates) {
        for (String c : candidates) {
            if (c.startsWith("/")) {
                if (Files.isExecutable(Path.of(c))) {
                    return c;
                }
                continue;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, c))) {
                    return Path.of(dir, c).toString();
                }
            }
        }
        throw new IllegalStateException("the multi-replica suite needs " + String.join(" or ", candidates)
                + ": apt-get install -y " + debianPackage + " (.ci/run installs it)");
    }

    /** A loopback port free at the time of the call (the OS's choice). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e, e);
        }
    }

    /** Runs a command to its end; its output goes to {@code log}. @throws IllegalStateException on a non-zero exit */
    public static void run(Path log, String... command) throws IOException, InterruptedException {
        // "/" as working directory: the postgres user may not read the build's
        Process p = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }
}

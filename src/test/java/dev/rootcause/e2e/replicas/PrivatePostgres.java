package dev.rootcause.e2e.replicas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;

/**
 * A PostgreSQL cluster of the suite's own ({@code initdb} into a temporary directory owned by the
 * {@code postgres} user, {@code pg_ctl} on a free loopback port, socket in that directory), so that it can be
 * stopped and started mid-storm without touching the shared server on 5432. Trust authentication on loopback,
 * user {@code postgres}, one database {@code rootcause}. Commands run as {@code postgres} through
 * {@code runuser} when the suite runs as root (PostgreSQL refuses to run as root).
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port = Binaries.freePort();
    private final String initdb;
    private final String pgCtl;

    public PrivatePostgres(Path logDir) throws IOException, InterruptedException {
        initdb = Binaries.require("postgresql", "/usr/lib/postgresql/15/bin/initdb", "initdb");
        pgCtl = Binaries.require("postgresql", "/usr/lib/postgresql/15/bin/pg_ctl", "pg_ctl");
        dir = Files.createTempDirectory("rootcause-pg-");
        data = dir.resolve("data");
        log = logDir.resolve("postgresql.log");
        Binaries.run(log, "chown", "postgres:postgres", dir.toString());
        Binaries.run(log, asPostgres(initdb, "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync"));
    }

    /** Starts the server and waits until it accepts connections ({@code pg_ctl -w}); creates the database once. */
    public PrivatePostgres start() throws IOException, InterruptedException {
        Binaries.run(log, asPostgres(pgCtl, "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
            if (!c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = 'rootcause'").next()) {
                c.createStatement().execute("CREATE DATABASE rootcause");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("private PostgreSQL on port " + port + " not usable: " + e.getMessage(), e);
        }
        return this;
    }

    /** {@code pg_ctl stop -m fast}: open connections are cut, as when a server restarts under a service. */
    public void stop() throws IOException, InterruptedException {
        Binaries.run(log, asPostgres(pgCtl, "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/rootcause";
    }

    private static String[] asPostgres(String... command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return command;
        }
        String[] out = new String[command.length + 4];
        out[0] = Binaries.require("util-linux", "runuser");
        out[1] = "-u";
        out[2] = "postgres";
        out[3] = "--";
        System.arraycopy(command, 0, out, 4, command.length);
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Binaries.run(log, asPostgres(pgCtl, "-D", data.toString(), "-m", "immediate", "stop"));
        } catch (IllegalStateException alreadyStopped) {
            // stopped by the test, or never started
        }
        if (Files.exists(dir.resolve("server.log"))) {
            Files.copy(dir.resolve("server.log"), log.resolveSibling("postgresql-server.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

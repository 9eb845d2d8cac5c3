package dev.rootcause.source.cache;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted Redis on a loopback port speaking RESP2: records every command it receives and answers
 * with what the test's responder returns (a raw RESP reply, or null to never answer). Lets contract
 * tests produce NOAUTH, WRONGPASS, a silent server or a dropped connection, and assert what was sent.
 */
final class FakeRedis implements AutoCloseable {

    private final ServerSocket server;
    private final Function<List<String>, String> responder;
    private final List<List<String>> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final int dropFirst;

    /**
     * @param responder command (name and arguments) → RESP reply; null never answers
     * @param dropFirst how many connections to close right after accepting them
     */
    FakeRedis(Function<List<String>, String> responder, int dropFirst) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.responder = responder;
        this.dropFirst = dropFirst;
        Thread t = new Thread(this::accept, "fake-redis");
        t.setDaemon(true);
        t.start();
    }

    /** Answers {@code INFO} with the given texts in turn (the last repeats) and everything else with {@code +OK}. */
    static Function<List<String>, String> info(String... texts) {
        AtomicInteger n = new AtomicInteger();
        return cmd -> cmd.get(0).equalsIgnoreCase("INFO")
                ? bulk(texts[Math.min(n.getAndIncrement(), texts.length - 1)]) : "+OK\r\n";
    }

    static String bulk(String text) {
        return "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
    }

    int port() {
        return server.getLocalPort();
    }

    List<List<String>> commands() {
        return List.copyOf(commands);
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                if (connections.incrementAndGet() <= dropFirst) {
                    s.close();
                    continue;
                }
                Thread t = new Thread(() -> serve(s), "fake-redis-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                List<String> cmd = read(in);
                if (cmd == null) {
                    return;
                }
                commands.add(cmd);
                String reply = responder.apply(cmd);
                if (reply != null) {
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** One RESP array of bulk strings ({@code *N\r\n$len\r\narg\r\n...}); null at end of stream. */
    private static List<String> read(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        if (!header.startsWith("*")) {
            throw new IOException("expected a RESP array, got " + header);
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String len = line(in);
            byte[] data = in.readNBytes(Integer.parseInt(len.substring(1)));
            in.readNBytes(2);
            out.add(new String(data, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                return b.toString();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step (pom.xml, phase generate-resources, run as {@code java RulesConfigMap.java <rules dir> <out file>}):
 * writes the ConfigMap {@code rootcause-rules} holding every top-level {@code *.yaml} and {@code *.json} of the
 * rules folder (rules, services.yaml, conventions.yaml, symptoms.yaml and their schemas; not {@code tests/}) to
 * {@code src/main/kubernetes/kubernetes.yml}, the one place Quarkus' Kubernetes extension (Dekorate) reads extra
 * resources from; it merges them into target/kubernetes/ and the Helm chart. The file is generated, so it is in
 * .gitignore: edit rules/, not it.
 *
 * <p>JSON is YAML, so the ConfigMap is written as one JSON object: every character of a rule file is escaped
 * exactly, with none of a YAML block scalar's rules about indentation and trailing spaces. A ConfigMap holds at
 * most 1 MiB (Kubernetes' limit on an object in etcd); the build fails above 900 KiB so that the limit is
 * never met in a cluster.
 */
public class RulesConfigMap {

    static final String NAME = "rootcause-rules";
    static final long MAX_BYTES = 900 * 1024;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java RulesConfigMap.java <rules dir> <out file>");
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("[A-Za-z0-9._-]+\\.(yaml|json)"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no *.yaml or *.json in " + dir.toAbsolutePath() + ": the rules ConfigMap would be empty");
        }
        StringBuilder data = new StringBuilder();
        long bytes = 0;
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (text.contains("{{")) {
                // The Helm extension copies the ConfigMap into a chart template, where Helm would render "{{ ... }}".
                throw new IllegalStateException(f + " contains \"{{\", which Helm would read as a template action in the "
                        + "chart's rules ConfigMap; write it differently or drop the file from the ConfigMap");
            }
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
            data.append(data.length() == 0 ? "" : ",").append("\n    ").append(quote(f.getFileName().toString()))
                    .append(": ").append(quote(text));
        }
        if (bytes > MAX_BYTES) {
            throw new IllegalStateException("the rules are " + bytes + " bytes; a ConfigMap holds at most 1 MiB");
        }
        String json = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n"
                + "  \"metadata\": {\"name\": \"" + NAME + "\", \"labels\": {\"app.kubernetes.io/name\": \"rootcause\"}},\n"
                + "  \"data\": {" + data + "\n  }\n}\n";
        Files.createDirectories(out.getParent());
        String header = "# GENERATED at build time from rules/ by src/main/kubernetes-gen/RulesConfigMap.java: edit rules/, not this file.\n";
        String content = header + json;
        if (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).equals(content)) {
            Files.writeString(out, content, StandardCharsets.UTF_8);
        }
        System.out.println("[rules-configmap] " + NAME + ": " + files.size() + " files, " + bytes + " bytes -> " + out);
    }

    /** A JSON string literal (RFC 8259 section 7): quote, backslash and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

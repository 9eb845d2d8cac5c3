package dev.rootcause.alert.reading;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an alert says is wrong, as a dotted name: {@code errors}, {@code latency}, {@code availability},
 * {@code saturation.cpu}, {@code saturation.memory}, {@code saturation.threads}, {@code saturation.connections},
 * {@code gc}, {@code restarts}, {@code disk}, {@code certificate}, {@code network}, {@code cache}, {@code queue}.
 * The known names are those of the symptom vocabulary ({@code rules/symptoms.yaml}); this type only checks the
 * spelling. A parent names all its children: a rule that explains {@code saturation} explains
 * {@code saturation.cpu}.
 *
 * @param name lower-case words joined by dots, e.g. {@code saturation.cpu}
 */
public record Symptom(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    /**
     * @throws IllegalArgumentException when the name is not lower-case dotted words
     */
    public Symptom {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("symptom '" + name + "': expected lower-case words joined by dots,"
                    + " e.g. saturation.cpu");
        }
    }

    @JsonCreator
    public static Symptom of(String name) {
        return new Symptom(name);
    }

    /** True when this symptom is {@code other} or one of its parents ({@code saturation} covers {@code saturation.cpu}). */
    public boolean covers(Symptom other) {
        return other.name.equals(name) || other.name.startsWith(name + ".");
    }

    @JsonValue
    @Override
    public String toString() {
        return name;
    }
}

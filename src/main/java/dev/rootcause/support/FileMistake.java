package dev.rootcause.support;

/**
 * A file that cannot be used as it is; the message is {@code file:line: what is wrong}, the line 1-based.
 * What {@link WatchedFile} and {@link WatchedDirectory} report while they keep the last good content.
 */
public class FileMistake extends RuntimeException {

    public FileMistake(String message) {
        super(message);
    }
}

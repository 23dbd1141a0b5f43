package io.hearsay.testnet.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a command keeps its files: a directory the user named (created if absent, kept afterwards), or a
 * fresh temporary one deleted with everything in it on {@link #close}, so a demo or benchmark leaves no
 * litter behind by default.
 */
public final class WorkDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkDirectory.class);

    private final Path path;
    private final boolean temporary;

    private WorkDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** The user's directory, created if absent; never deleted. */
    public static WorkDirectory kept(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        createDirectories(absolute);
        return new WorkDirectory(absolute, false);
    }

    /** A new directory under {@code java.io.tmpdir}, deleted by {@link #close}. */
    public static WorkDirectory temporary(String prefix) {
        return temporary(prefix, null);
    }

    /** A new directory under {@code parent} (created if absent; null: {@code java.io.tmpdir}), deleted by {@link #close}. */
    public static WorkDirectory temporary(String prefix, Path parent) {
        Path where = parent == null ? Path.of(System.getProperty("java.io.tmpdir")) : parent.toAbsolutePath().normalize();
        createDirectories(where);
        try {
            return new WorkDirectory(Files.createTempDirectory(where, prefix).toAbsolutePath(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory in " + where + " (" + describe(e)
                    + "); free some space there or name another directory with the command's option", e);
        }
    }

    public Path path() {
        return path;
    }

    public boolean isTemporary() {
        return temporary;
    }

    /** A subdirectory, created if absent. */
    public Path subdirectory(String name) {
        Path child = path.resolve(name);
        createDirectories(child);
        return child;
    }

    /** Whether {@code path} is absent or an empty directory. */
    public static boolean isAbsentOrEmpty(Path path) {
        if (!Files.exists(path)) {
            return true;
        }
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes {@code root} and everything under it; an absent {@code root} is fine. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a temporary directory. A failure to delete is logged, not thrown: the work itself succeeded. */
    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            log.warn("could not delete the temporary directory {} ({}); delete it by hand", path, describe(e));
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + directory + " (" + describe(e)
                    + "); choose a path where you may create directories", e);
        }
    }

    /** java.nio's messages are often just the path; the exception type says what went wrong. */
    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}

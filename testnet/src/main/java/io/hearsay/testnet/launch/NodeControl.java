package io.hearsay.testnet.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's control channel from the launcher that started it: its stdin, which only that parent holds. One command
 * per line, handed to a handler on this reader's own thread (never a gRPC thread); a line the handler refuses with
 * {@link IllegalArgumentException} is logged with the reason and ignored, and the node keeps serving.
 *
 * <p>End of input means the parent is gone — it exited or was SIGKILLed and the kernel closed the pipe — so the node
 * has nobody left to stop it: {@code onParentGone} runs (the commands exit the JVM, whose shutdown hook closes the
 * node cleanly), instead of leaving an orphan that holds its ports and data.
 *
 * <pre>
 *   parent ──stdin──▶ [line ≤ LINE_CHARS_MAX] ──▶ handler ──ok──▶ (the handler acknowledges)
 *                                                        └─refused─▶ log "ignored control line: reason"
 *          ──EOF────▶ onParentGone
 * </pre>
 */
public final class NodeControl {
    private static final Logger LOG = LoggerFactory.getLogger(NodeControl.class);
    /** The value of {@code --control} that turns the channel on; the only source there is. */
    public static final String STDIN = "stdin";
    /** A longer line is refused: a complete set of link faults for 64 × 32 peers is under 300 000 characters. */
    static final int LINE_CHARS_MAX = 1 << 20;
    /** How much of a refused line the log shows. */
    private static final int LOGGED_CHARS_MAX = 200;

    private final Reader input;
    private final Consumer<String> handler;
    private final Runnable onParentGone;

    private NodeControl(InputStream input, Consumer<String> handler, Runnable onParentGone) {
        this.input = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        this.handler = handler;
        this.onParentGone = onParentGone;
    }

    /**
     * Starts reading {@code input} on a daemon thread named {@code node-control}.
     *
     * @param handler runs each line; throws {@link IllegalArgumentException} saying why it refuses one
     * @param onParentGone runs once, at end of input or when the input fails
     */
    public static Thread start(InputStream input, Consumer<String> handler, Runnable onParentGone) {
        Thread thread = new Thread(new NodeControl(input, handler, onParentGone)::run, "node-control");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** A handler for a node that takes no commands (the orderer): it only stops with its parent. */
    public static Consumer<String> noCommands(String node) {
        return line -> {
            throw new IllegalArgumentException(node + " takes no control commands; its control channel only tells it"
                    + " that its launcher is gone");
        };
    }

    private void run() {
        try {
            for (String line = readLine(); line != null; line = readLine()) {
                handle(line);
            }
            LOG.info("control: stdin closed, so the process that launched this node is gone; stopping");
        } catch (IOException e) {
            LOG.warn("control: stdin failed ({}), so the process that launched this node is gone; stopping", e.toString());
        }
        onParentGone.run();
    }

    private void handle(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            handler.accept(line);
        } catch (IllegalArgumentException e) {
            LOG.warn("control: ignored line \"{}\": {}", abbreviated(line), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("control: line \"{}\" failed; the node goes on without it", abbreviated(line), e);
        }
    }

    /** The next line, a too-long line as {@code ""} after logging it, or null at end of input. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        int c = input.read();
        if (c < 0) {
            return null;
        }
        for (; c != '\n' && c >= 0; c = input.read()) {
            if (line.length() >= LINE_CHARS_MAX) {
                tooLong = true;
                line.setLength(0);
            }
            line.append((char) c);
        }
        if (tooLong) {
            LOG.warn("control: ignored a line longer than {} characters", LINE_CHARS_MAX);
            return "";
        }
        return line.toString();
    }

    private static String abbreviated(String line) {
        return line.length() <= LOGGED_CHARS_MAX ? line : line.substring(0, LOGGED_CHARS_MAX) + "…";
    }
}

package io.hearsay.testnet.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure inside a command into one line, {@code error: <message>}, and exit code 1. A user
 * needs the message (which says what to do); the stack trace is for us, so it appears only when the
 * command line has {@code --verbose}.
 */
final class FailureReporter implements IExecutionExceptionHandler {
    static final int FAILURE_EXIT_CODE = 1;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("error: " + oneLine(exception));
        if (isVerbose(parseResult)) {
            exception.printStackTrace(err);
        }
        err.flush();
        return FAILURE_EXIT_CODE;
    }

    /** The first message found down the cause chain, on one line; the exception's type if none has one. */
    static String oneLine(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return message.strip().replaceAll("\\s*\\R\\s*", " ");
            }
        }
        return throwable.getClass().getSimpleName() + " (no message; run again with --verbose for the stack trace)";
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(HearsayCli.VERBOSE_OPTION)) {
                return true;
            }
        }
        return false;
    }
}

package io.hearsay.testnet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Maven version this jar was built as, and the Java runtime it runs on. */
final class VersionProvider implements IVersionProvider {
    private static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "hearsay " + buildVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }

    private static String buildVersion() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Unreadable resource: say so in the version text rather than fail --version.
        }
        String version = properties.getProperty("version", "");
        // An unfiltered resource (run from an IDE without Maven) still holds the placeholder.
        return version.isEmpty() || version.startsWith("${") ? "(development build)" : version;
    }
}

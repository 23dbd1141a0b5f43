package io.hearsay.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reading Fabric MSP folders, where each of signcerts/, keystore/, cacerts/ holds exactly one file. */
final class MspFolders {
    private MspFolders() {}

    static byte[] readSingleFile(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> regular = files.filter(Files::isRegularFile).sorted().toList();
            if (regular.size() != 1) {
                throw new IdentityException(IdentityException.Reason.IO,
                        "expected exactly one file in " + directory + ", found " + regular.size());
            }
            return Files.readAllBytes(regular.get(0));
        } catch (IOException e) {
            throw new IdentityException(IdentityException.Reason.IO, "cannot read " + directory + ": " + e.getMessage(), e);
        }
    }
}

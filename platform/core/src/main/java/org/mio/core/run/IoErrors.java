package org.mio.core.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong with a file, in words: NIO's exceptions carry only the path as their message
 * ({@code mio sweep: afile}), which says where but not what.
 */
public final class IoErrors {
    private IoErrors() {}

    /** E.g. {@code runs/x: no such file or folder}, {@code out: a file is in the way (a folder is needed)}. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String path = f.getFile();
            String other = f.getOtherFile() != null ? " (and " + f.getOtherFile() + ")" : "";
            String what = e instanceof NoSuchFileException
                    ? "no such file or folder"
                    : e instanceof AccessDeniedException
                            ? "permission denied"
                            : e instanceof FileAlreadyExistsException
                                    ? "a file is in the way (a folder is needed, or it already exists)"
                                    : e instanceof NotDirectoryException
                                            ? "not a folder"
                                            : e instanceof DirectoryNotEmptyException
                                                    ? "folder not empty"
                                                    : f.getReason() != null
                                                            ? f.getReason()
                                                            : e.getClass().getSimpleName();
            return path + other + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
